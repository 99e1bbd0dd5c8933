// Running one lesson's tests on one target, and reading what each test did:
// the self-check (test.ts), hint, watch and progress all do it this way.
// Several runs share the machine through inBatches().
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, testFilesOf, TYPESCRIPT_LOADER, type Lesson, type Target } from './course';
import { collectOutput } from './tools/collect-output';

export interface TestOutcome {
  name: string;
  outcome: 'passed' | 'failed' | 'skipped';
  message?: string;
  /** how long the test took, in milliseconds */
  ms?: number;
}

export interface TestRun {
  lesson: Lesson;
  target: Target;
  outcomes: TestOutcome[];
  exitCode: number;
  /** node:test's spec output, kept to show when the run did not go as it should */
  output: string;
  seconds: number;
}

export const count = (run: TestRun, outcome: TestOutcome['outcome']) =>
  run.outcomes.filter((test) => test.outcome === outcome).length;

let runsStarted = 0;

/**
 * The results files of the runs still going. A process stopped in the middle
 * of a run (Ctrl-C, or `npm run watch` dropping a stale run) removes them as
 * it exits, if it exits through process.exit() on that signal.
 */
const resultsFilesInUse = new Set<string>();
process.on('exit', () => {
  for (const file of resultsFilesInUse) fs.rmSync(file, { force: true });
});

export interface RunOptions {
  /** run only the tests whose names match */
  namePattern?: RegExp;
  /** run only these of the lesson's test files (default: all of them) */
  files?: string[];
  /** extra environment variables for the test process */
  env?: Record<string, string>;
}

/**
 * Runs one lesson's tests on one target with node:test (`namePattern`: only
 * the tests whose names match). One test file runs in a process of its own,
 * without node --test's runner process on top (the self-check runs its files
 * side by side this way); several run under node --test, one after another.
 */
export async function runLessonTests(lesson: Lesson, target: Target, showOutput: boolean, namePattern?: RegExp, options: RunOptions = {}): Promise<TestRun> {
  const started = Date.now();
  const resultsFile = path.join(os.tmpdir(), `cluster-from-scratch-${process.pid}-${++runsStarted}.jsonl`);
  resultsFilesInUse.add(resultsFile);
  const files = options.files ?? testFilesOf(lesson);
  const pattern = namePattern ?? options.namePattern;
  const args = [
    ...TYPESCRIPT_LOADER,
    ...(files.length === 1 ? [] : ['--test']),
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${path.join(repoRoot, 'scripts', 'testing', 'json-reporter.mjs')}`,
    `--test-reporter-destination=${resultsFile}`,
    ...(pattern ? [`--test-name-pattern=${pattern.source}`] : []),
    ...files,
  ];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, ...options.env, CLUSTER_TARGET: target.clusterTarget, FORCE_COLOR: showOutput ? process.env.FORCE_COLOR : '0' },
    stdio: ['ignore', showOutput ? 'inherit' : 'pipe', showOutput ? 'inherit' : 'pipe'],
  });
  const { code, output } = await collectOutput(child);
  const outcomes = fs.existsSync(resultsFile)
    ? fs.readFileSync(resultsFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line))
    : [];
  fs.rmSync(resultsFile, { force: true });
  resultsFilesInUse.delete(resultsFile);
  return { lesson, target, outcomes, exitCode: code ?? 1, output, seconds: (Date.now() - started) / 1000 };
}

/** Several runs of one lesson on one target (its files run apart) as one: every outcome, the worst exit code. */
export function joinRuns(runs: TestRun[], seconds: number): TestRun {
  return {
    lesson: runs[0].lesson,
    target: runs[0].target,
    outcomes: runs.flatMap((run) => run.outcomes),
    exitCode: runs.find((run) => run.exitCode !== 0)?.exitCode ?? 0,
    output: runs.map((run) => run.output).join('\n'),
    seconds,
  };
}

/**
 * The step a test proves, from its name: "step 3: ..." is step 3's, and a test
 * that needs several steps, "step 2-4: ...", counts as its last one's.
 * Undefined for a test named otherwise ("regression (lesson 3): ...").
 */
export function stepOfTest(name: string): number | undefined {
  const match = /^step (\d+)(?:-(\d+))?:/.exec(name);
  return match ? Number(match[2] ?? match[1]) : undefined;
}

/** Matches the names of the tests of steps `from`..`to` (a test named "step 2-4: ..." is step 4's). */
export function stepsPattern(from: number, to: number): RegExp {
  const steps = Array.from({ length: to - from + 1 }, (_, index) => from + index);
  return new RegExp(`^step (?:\\d+-)?(?:${steps.join('|')}):`);
}

/** Runs jobs with at most `limit` at a time (the machine has few cores and every test forks), results in job order. */
export async function inBatches<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, lane));
  return results;
}
