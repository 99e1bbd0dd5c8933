// The course's map: which lessons exist, where their parts live, and the three
// targets a demo or a test can run on. Every command-line tool reads it, so a
// new lesson only needs its folders (lessons/NN-topic and solutions/NN-topic).
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './repo-root';

export { repoRoot };

export interface Lesson {
  number: number;
  /** "01-fork" */
  slug: string;
  /** the lesson's title, read from the first heading of its README */
  title: string;
  /** lessons/01-fork (README, demo, tests and the starter you complete) */
  lessonDir: string;
  /** solutions/01-fork (the reference code for this stage) */
  solutionDir: string;
}

/** The three kinds of code a demo or a test can run on. */
export type TargetKind = 'solution' | 'mine' | 'node';

export interface Target {
  kind: TargetKind;
  /** the value of CLUSTER_TARGET that selects this code (see testing/cluster.ts) */
  clusterTarget: string;
  /** one line for humans: what code is under test */
  description: string;
}

/** Where the starter (the learner's own code) lives inside a lesson folder. */
export const STARTER_FOLDER = 'cluster';

export function listLessons(): Lesson[] {
  const lessonsRoot = path.join(repoRoot, 'lessons');
  return fs
    .readdirSync(lessonsRoot, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d\d-/.test(entry.name))
    .map((entry) => describeLesson(entry.name))
    .sort((a, b) => a.number - b.number);
}

function describeLesson(slug: string): Lesson {
  const lessonDir = path.join('lessons', slug);
  return {
    number: Number(slug.slice(0, 2)),
    slug,
    title: readTitle(path.join(repoRoot, lessonDir, 'README.md')) ?? slug,
    lessonDir,
    solutionDir: path.join('solutions', slug),
  };
}

function readTitle(readmePath: string): string | undefined {
  if (!fs.existsSync(readmePath)) return undefined;
  const heading = fs.readFileSync(readmePath, 'utf8').match(/^#\s+(.+)$/m);
  return heading?.[1].trim();
}

/** Accepts "4", "04", "lesson-4" and "lesson-04"; undefined for anything else. */
export function findLesson(word: string): Lesson | undefined {
  const match = /^(?:lesson-?)?(\d{1,2})$/.exec(word);
  if (!match) return undefined;
  return listLessons().find((lesson) => lesson.number === Number(match[1]));
}

/** The lesson's test files (lessons/NN-topic/test/*.test.ts), in name order. */
export function testFilesOf(lesson: Lesson): string[] {
  const folder = path.join(lesson.lessonDir, 'test');
  if (!fs.existsSync(path.join(repoRoot, folder))) return [];
  return fs
    .readdirSync(path.join(repoRoot, folder))
    .filter((name) => name.endsWith('.test.ts'))
    .sort()
    .map((name) => path.join(folder, name));
}

export function targetFor(lesson: Lesson, kind: TargetKind): Target {
  switch (kind) {
    case 'solution':
      return {
        kind,
        clusterTarget: lesson.solutionDir,
        description: `the reference solution (${lesson.solutionDir})`,
      };
    case 'mine': {
      const starter = path.join(lesson.lessonDir, STARTER_FOLDER);
      return { kind, clusterTarget: starter, description: `your code (${starter})` };
    }
    case 'node':
      return { kind, clusterTarget: 'node', description: `real node:cluster (Node ${process.version})` };
  }
}

/** The lesson list as printed by every "which lesson?" error message. */
export function lessonMenu(): string {
  return listLessons()
    .map((lesson) => `  ${String(lesson.number).padStart(2)}  ${lesson.title}`)
    .join('\n');
}

/** How every script runs TypeScript, and how forked workers inherit it: see README, "How TypeScript runs". */
export const TYPESCRIPT_LOADER = ['--require', 'tsx/cjs'];

/** Bad input: a clear message and exit status 2, never a stack trace. */
export function exitWithUsage(message: string, usage: string): never {
  process.stderr.write(`${message}\n\n${usage}\n`);
  process.exit(2);
}
