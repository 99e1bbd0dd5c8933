// How far the learner has gone into each step's hints. Each `npm run hint 4 3`
// shows one level more than the last time, so the level reached is kept
// between runs, in a git-ignored file: { "4.3": 2 } means levels 1 and 2 of
// lesson 4, step 3 have been shown.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../course';
import { writeWhole } from '../steps/backup';

export const HINT_LEVELS = ['idea', 'where to look', 'reference code'] as const;
export const LAST_LEVEL = HINT_LEVELS.length;

/** The default place; the tools' own tests point CLUSTER_HINTS_FILE at a temporary file instead. */
export const DEFAULT_LEVEL_FILE = path.join('.progress', 'hints.json');

export function levelFile(): string {
  return path.resolve(repoRoot, process.env.CLUSTER_HINTS_FILE ?? DEFAULT_LEVEL_FILE);
}

const key = (lesson: number, step: number) => `${lesson}.${step}`;

function readLevels(file: string): Record<string, number> {
  if (!fs.existsSync(file)) return {};
  try {
    const levels = JSON.parse(fs.readFileSync(file, 'utf8'));
    return levels && typeof levels === 'object' ? levels : {};
  } catch {
    return {}; // a file the learner edited by hand into nonsense: start again rather than stop
  }
}

function writeLevels(file: string, levels: Record<string, number>): void {
  // writeWhole takes a path from the repository root; a temporary file elsewhere works through "../".
  writeWhole(path.relative(repoRoot, file), `${JSON.stringify(levels, null, 2)}\n`);
}

/** The highest level shown so far for that step (0: none). */
export function levelReached(file: string, lesson: number, step: number): number {
  return readLevels(file)[key(lesson, step)] ?? 0;
}

/** Records that levels up to `level` have been shown (never lowers it). */
export function recordLevel(file: string, lesson: number, step: number, level: number): void {
  const levels = readLevels(file);
  if ((levels[key(lesson, step)] ?? 0) >= level) return;
  levels[key(lesson, step)] = level;
  writeLevels(file, levels);
}

/** Forgets the levels of one step, or of every step of the lesson; returns how many steps were forgotten. */
export function forgetLevels(file: string, lesson: number, step?: number): number {
  const levels = readLevels(file);
  const forgotten = Object.keys(levels).filter((each) => (step === undefined ? each.startsWith(`${lesson}.`) : each === key(lesson, step)));
  if (forgotten.length === 0) return 0;
  for (const each of forgotten) delete levels[each];
  writeLevels(file, levels);
  return forgotten.length;
}
