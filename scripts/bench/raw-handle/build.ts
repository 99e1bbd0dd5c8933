// Puts together the cluster of the "ours, raw handle (internals)" bench row:
// solution 6, with round-robin-handle.ts replaced by this folder's (the
// primary hands over raw handles, as node's does) and an index.ts that wraps
// the raw handle into a net.Socket in the worker. It goes into bench-results/
// (git-ignored), rebuilt at every run, so it always follows solution 6.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../repo-root';

export const RAW_HANDLE_BASE = 'solutions/06-measure';
/** Where the bench finds it (CLUSTER_TARGET), relative to the repository. */
export const RAW_HANDLE_TARGET = 'bench-results/raw-handle-cluster';

export function buildRawHandleCluster(): string {
  const from = path.join(repoRoot, RAW_HANDLE_BASE);
  const to = path.join(repoRoot, RAW_HANDLE_TARGET);
  fs.rmSync(to, { recursive: true, force: true });
  fs.mkdirSync(to, { recursive: true });
  for (const file of fs.readdirSync(from).filter((name) => name.endsWith('.ts'))) {
    fs.copyFileSync(path.join(from, file), path.join(to, file === 'index.ts' ? 'index-solution.ts' : file));
  }
  // Here, the two files import solution 6 (so the type checker sees them); in the copy, its files are next door.
  for (const file of ['index.ts', 'round-robin-handle.ts']) {
    const source = fs.readFileSync(path.join(__dirname, file), 'utf8')
      .replaceAll(`'../../../${RAW_HANDLE_BASE}/index'`, `'./index-solution'`)
      .replaceAll(`'../../../${RAW_HANDLE_BASE}/`, `'./`);
    fs.writeFileSync(path.join(to, file), source);
  }
  return RAW_HANDLE_TARGET;
}
