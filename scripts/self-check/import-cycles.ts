// The types, and no import circle anywhere, in one run of the compiler:
// `node --require tsx/cjs scripts/self-check/import-cycles.ts`.
//
// A circle (a.ts imports b.ts, which imports a.ts back, maybe through others) makes a reader hold two files in
// mind to understand either, and makes what a module sees at load time depend on which one was loaded first. The
// compiler knows every edge: `tsc --traceResolution` reports, for each import of each file the project covers
// (solutions/, lessons/, scripts/, testing/: tsconfig.json's `include`), which file it resolved to. Type-only
// imports count too: a reader follows them the same way. Imports that are not resolved from a literal (a
// `require()` of a computed path) are not edges. The same run type-checks the project (`--noEmit`), so the
// self-check asks the compiler once for both.
//
// It prints each type error and each circle it finds (one per group of files that reach each other) and exits 1 if
// there is any.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../course';

type Graph = Map<string, Set<string>>;

const RESOLVING = /^======== Resolving module '(.+)' from '(.+)'\. ========$/;
const RESOLVED = /^======== Module name '(.+)' was successfully resolved to '(.+)'\. ========$/;

/** What the compiler says of the project: its type errors, and every import edge between the project's own files. */
export function compileProject(): { typeErrors: string[]; graph: Graph } {
  // TypeScript 7 exports no ./bin/tsc: the command is found beside its package.json.
  const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  // One thread: each resolution's lines then come together, the request before its answer.
  const run = spawnSync(process.execPath, [tsc, '--noEmit', '--traceResolution', '--singleThreaded'], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.error) throw run.error;
  // Without a terminal tsc prints each error on a line of its own, amid the trace.
  const typeErrors = run.status === 0 ? [] : run.stdout.split('\n').filter((line) => /\berror TS\d+:/.test(line));
  if (run.status !== 0 && typeErrors.length === 0) typeErrors.push(`tsc ended with status ${run.status}: ${run.stderr.trim()}`);
  return { typeErrors, graph: importGraph(run.stdout) };
}

/** Every import edge between the project's own files, read from the compiler's trace of its resolutions. */
function importGraph(trace: string): Graph {
  const graph: Graph = new Map();
  let asking: { name: string; from: string } | undefined;
  for (const line of trace.split('\n')) {
    const request = RESOLVING.exec(line);
    if (request) {
      asking = { name: request[1], from: request[2] };
      continue;
    }
    const answer = RESOLVED.exec(line);
    if (!answer || !asking || answer[1] !== asking.name) continue;
    const to = answer[2];
    if (isOurs(asking.from) && isOurs(to)) {
      if (!graph.has(asking.from)) graph.set(asking.from, new Set());
      graph.get(asking.from)!.add(to);
    }
    asking = undefined;
  }
  if (graph.size === 0) throw new Error(`tsc --traceResolution reported no import at all:\n${trace.slice(0, 2000)}`);
  return graph;
}

function isOurs(file: string): boolean {
  const relative = path.relative(repoRoot, file);
  return !relative.startsWith('..') && !relative.split(path.sep).includes('node_modules');
}

/** The groups of files that reach each other (Tarjan's strongly connected components), only those with a circle. */
export function circularGroups(graph: Graph): string[][] {
  let counter = 0;
  const order = new Map<string, number>();
  const lowest = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  const visit = (file: string): void => {
    order.set(file, counter);
    lowest.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!order.has(next)) {
        visit(next);
        lowest.set(file, Math.min(lowest.get(file)!, lowest.get(next)!));
      } else if (onStack.has(next)) {
        lowest.set(file, Math.min(lowest.get(file)!, order.get(next)!));
      }
    }
    if (lowest.get(file) !== order.get(file)) return;
    const group: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || graph.get(file)?.has(file)) groups.push(group.sort());
  };
  for (const file of [...graph.keys()].sort()) if (!order.has(file)) visit(file);
  return groups.sort((a, b) => a[0].localeCompare(b[0]));
}

/** One circle through a group: from its first file, following imports that stay in the group, back to it. */
export function oneCircle(graph: Graph, group: string[]): string[] {
  const inGroup = new Set(group);
  const start = group[0];
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const next of [...(graph.get(file) ?? [])].sort()) {
      if (!inGroup.has(next)) continue;
      if (next === start) {
        const circle = [file];
        while (circle[0] !== start) circle.unshift(cameFrom.get(circle[0])!);
        return [...circle, start];
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, file);
        queue.push(next);
      }
    }
  }
  return group;
}

function main(): void {
  const { typeErrors, graph } = compileProject();
  for (const error of typeErrors) console.log(error);
  console.log(`${typeErrors.length} type error(s)`);
  const edges = [...graph.values()].reduce((sum, targets) => sum + targets.size, 0);
  const groups = circularGroups(graph);
  for (const group of groups) {
    const circle = oneCircle(graph, group).map((file) => path.relative(repoRoot, file));
    console.log(`circle: ${circle.join(' → ')}`);
    if (group.length > circle.length - 1) console.log(`  (${group.length} files reach each other in this group)`);
  }
  console.log(`${groups.length} import circle(s) among ${graph.size} files that import others (${edges} imports)`);
  process.exitCode = typeErrors.length === 0 && groups.length === 0 ? 0 : 1;
}

if (require.main === module) main();
