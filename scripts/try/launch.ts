// Starting a program written for node:cluster on a chosen cluster: what
// `npm run try` does, and what the conformance suite does for each program.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { exitWithUsage, listLessons, repoRoot, STARTER_FOLDER, targetFor, type Lesson, type Target } from '../course';
import type { CommandLine } from '../tools/command-line';

/** Which cluster: the newest solution unless said otherwise. */
export type TargetChoice = { kind: 'solution'; lesson?: number } | { kind: 'mine'; lesson?: number } | { kind: 'node' };

/** A choice that names no code on disk: the message says what there is. */
export class NoSuchTarget extends Error {}

/** The flags that make the choice: `--mine [N]`, `--solution N`, `--node`. */
export const CHOICE_FLAGS = {
  mine: { type: 'boolean' },
  solution: { type: 'string', needs: 'a lesson number' },
  node: { type: 'boolean' },
} as const;

const LESSON_NUMBER = /^\d{1,2}$/;

/** The choice the flags make (the newest solution when none is given), or a usage error. */
export function targetChoiceFrom(line: Pick<CommandLine<typeof CHOICE_FLAGS>, 'values' | 'takeWordAfter'>, usage: string): TargetChoice {
  const { mine, solution, node } = line.values;
  if ([mine, solution !== undefined, node].filter(Boolean).length > 1) exitWithUsage('Choose one of --mine, --solution N and --node.', usage);
  if (node) return { kind: 'node' };
  if (mine) {
    const lesson = line.takeWordAfter('mine', LESSON_NUMBER);
    return { kind: 'mine', lesson: lesson === undefined ? undefined : Number(lesson) };
  }
  if (solution === undefined) return { kind: 'solution' };
  if (!LESSON_NUMBER.test(solution)) exitWithUsage(`--solution needs a lesson number, got ${solution}.`, usage);
  return { kind: 'solution', lesson: Number(solution) };
}

/** The lessons whose solution (or starter, for `mine`) is on disk, newest last. */
function lessonsWith(kind: 'solution' | 'mine'): Lesson[] {
  const folderOf = (lesson: Lesson) => (kind === 'solution' ? lesson.solutionDir : path.join(lesson.lessonDir, STARTER_FOLDER));
  return listLessons().filter((lesson) => fs.existsSync(path.join(repoRoot, folderOf(lesson), 'index.ts')));
}

/** The Target for a choice; `solution` and `mine` without a number mean the newest lesson that has one. */
export function chooseTarget(choice: TargetChoice): Target {
  if (choice.kind === 'node') return targetFor(listLessons()[0], 'node');
  const candidates = lessonsWith(choice.kind);
  const what = choice.kind === 'solution' ? 'solution' : 'starter (lessons/NN-*/cluster)';
  if (candidates.length === 0) throw new NoSuchTarget(`There is no ${what} yet.`);
  const lesson = choice.lesson === undefined ? candidates.at(-1)! : candidates.find((each) => each.number === choice.lesson);
  if (!lesson) {
    const numbers = candidates.map((each) => each.number).join(', ');
    throw new NoSuchTarget(`There is no ${what} for lesson ${choice.lesson}: there are ${numbers}.`);
  }
  return targetFor(lesson, choice.kind);
}

/** The preloads (--require) of every process the program starts: TypeScript, then our cluster in place of Node's. */
const PRELOADS = [require.resolve('tsx/cjs'), path.join(__dirname, 'preload.ts')];

/** True when Node loads `file` as an ES module written in TypeScript: .mts, or .ts in a "type": "module" folder. */
function isTypeScriptModule(file: string): boolean {
  if (file.endsWith('.mts')) return true;
  if (!file.endsWith('.ts')) return false;
  for (let folder = path.dirname(file); ; folder = path.dirname(folder)) {
    const manifest = path.join(folder, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { type?: string }).type === 'module';
      } catch {
        return false;
      }
    }
    if (path.dirname(folder) === folder) return false;
  }
}

/**
 * NODE_OPTIONS, not the command line: a worker inherits its primary's
 * environment even when the program gives it an execArgv of its own, so the
 * preloads reach every process. The paths are quoted for Node's parser.
 *
 * tsx/cjs compiles TypeScript that is required. A TypeScript program loaded
 * as an ES module needs tsx's module hooks too, which only `--import` sets up
 * (for a CommonJS program, `--import` would make Node start the main file one
 * turn later, so it is added only here, where the main file is a module anyway).
 */
function nodeOptions(file: string, existing: string | undefined): string {
  const options = PRELOADS.map((preload) => `--require ${JSON.stringify(preload)}`);
  if (isTypeScriptModule(file)) options.push(`--import ${JSON.stringify(pathToFileURL(require.resolve('tsx/esm')).href)}`);
  if (existing) options.push(existing);
  return options.join(' ');
}

export interface LaunchOptions {
  /** the program's own command-line arguments */
  args?: string[];
  /** where the program runs; relative file names are read from here */
  cwd: string;
  stdio: StdioOptions;
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts `file` (an absolute path) on `target`, in a process group of its own
 * (see tools/process-group.ts) so that a signal reaches the program and every worker.
 */
export function launch(file: string, target: Target, options: LaunchOptions): ChildProcess {
  const env = options.env ?? process.env;
  return spawn(process.execPath, [file, ...(options.args ?? [])], {
    cwd: options.cwd,
    stdio: options.stdio,
    detached: true,
    env: { ...env, CLUSTER_TARGET: target.clusterTarget, NODE_OPTIONS: nodeOptions(file, env.NODE_OPTIONS) },
  });
}
