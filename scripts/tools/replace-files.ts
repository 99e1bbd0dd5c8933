// How reset replaces a learner's files: every file that exists is first copied
// into the backup folder (git-ignored, named in the output), and only once all
// copies are made is anything written, each file whole or not at all. So no
// work is lost, and nothing is ever half-written.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../course';
import { backUp, writeWhole } from '../steps/backup';

/** `changes`: file (from the repository root) → new text. Returns the files that were copied into `backupFolder`. */
export function replaceFiles(changes: Map<string, string>, backupFolder: string): string[] {
  const kept = [...changes.keys()].filter((file) => fs.existsSync(path.join(repoRoot, file)));
  for (const file of kept) backUp(file, backupFolder);
  for (const [file, text] of changes) writeWhole(file, text);
  return kept;
}
