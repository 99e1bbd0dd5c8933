// Nothing a learner wrote is ever lost: before a tool replaces a file in a
// starter, the file is copied into .backup/<time>/ (git-ignored), keeping its
// path, and the tool says where.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../course';

export const BACKUP_ROOT = '.backup';

/** A fresh folder for this run's copies: .backup/2026-12-05T12-30-01 (with -2, -3… if taken). */
export function newBackupFolder(): string {
  const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '-');
  let folder = path.join(BACKUP_ROOT, stamp);
  for (let n = 2; fs.existsSync(path.join(repoRoot, folder)); n++) folder = path.join(BACKUP_ROOT, `${stamp}-${n}`);
  return folder;
}

/** Copies a file (relative to the repository root) into the backup folder, same relative path. */
export function backUp(file: string, backupFolder: string): string {
  const copy = path.join(backupFolder, file);
  fs.mkdirSync(path.join(repoRoot, path.dirname(copy)), { recursive: true });
  fs.copyFileSync(path.join(repoRoot, file), path.join(repoRoot, copy));
  return copy;
}

/** Writes a file whole or not at all: a temporary file beside it, then a rename. */
export function writeWhole(file: string, text: string): void {
  const absolute = path.join(repoRoot, file);
  fs.mkdirSync(path.dirname(absolute), { recursive: true });
  const temporary = `${absolute}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, absolute);
}
