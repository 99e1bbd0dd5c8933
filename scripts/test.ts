// `npm test`                          the course's self-check (see README, "How the course checks itself")
// `npm test -- lesson-4`              lesson 4's tests on the reference solution
// `npm test -- lesson-4 --mine`       ... on your code in lessons/04-*/cluster
// `npm test -- lesson-4 --node`       ... on real node:cluster
// `npm test -- --mine`                every lesson's tests on your code
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  exitWithUsage,
  findLesson,
  lessonMenu,
  listLessons,
  repoRoot,
  targetFor,
  testFilesOf,
  TYPESCRIPT_LOADER,
  type Lesson,
  type Target,
  type TargetKind,
} from './course';

const USAGE = `usage: npm test [-- lesson-<n>] [--mine | --node]

  (nothing)       the self-check: every lesson on its solution, on node:cluster and on its starter,
                  then the type check and the docs checks
  lesson-<n>      one lesson's tests (also: <n>, lesson-0<n>), on the reference solution
  --mine          on your code in lessons/NN-*/cluster
  --node          on real node:cluster

lessons:
${lessonMenu()}`;

interface TestOutcome {
  name: string;
  outcome: 'passed' | 'failed' | 'skipped';
  message?: string;
}

interface TestRun {
  lesson: Lesson;
  target: Target;
  outcomes: TestOutcome[];
  exitCode: number;
  /** node:test's spec output, kept to show when the run did not go as it should */
  output: string;
  seconds: number;
}

const count = (run: TestRun, outcome: TestOutcome['outcome']) =>
  run.outcomes.filter((test) => test.outcome === outcome).length;

/** Runs one lesson's tests on one target with node:test. */
function runLessonTests(lesson: Lesson, target: Target, showOutput: boolean): Promise<TestRun> {
  const started = Date.now();
  const resultsFile = path.join(os.tmpdir(), `cluster-from-scratch-${process.pid}-${lesson.number}-${target.kind}.jsonl`);
  const args = [
    ...TYPESCRIPT_LOADER,
    '--test',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${path.join(repoRoot, 'scripts', 'testing', 'json-reporter.mjs')}`,
    `--test-reporter-destination=${resultsFile}`,
    ...testFilesOf(lesson),
  ];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, CLUSTER_TARGET: target.clusterTarget, FORCE_COLOR: showOutput ? process.env.FORCE_COLOR : '0' },
    stdio: ['ignore', showOutput ? 'inherit' : 'pipe', showOutput ? 'inherit' : 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => {
    child.on('close', (code) => {
      const outcomes = fs.existsSync(resultsFile)
        ? fs.readFileSync(resultsFile, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line))
        : [];
      fs.rmSync(resultsFile, { force: true });
      resolve({ lesson, target, outcomes, exitCode: code ?? 1, output, seconds: (Date.now() - started) / 1000 });
    });
  });
}

// ---------------------------------------------------------------- one target

async function testOnTarget(lessons: Lesson[], kind: TargetKind): Promise<void> {
  let failed = false;
  for (const lesson of lessons) {
    const target = targetFor(lesson, kind);
    console.log(`Testing lesson ${lesson.number} (${lesson.title}) on ${target.description}`);
    const run = await runLessonTests(lesson, target, true);
    if (run.exitCode !== 0) failed = true;
  }
  process.exitCode = failed ? 1 : 0;
}

// ---------------------------------------------------------------- the self-check

/** What each run must show for the course to be sound. */
interface Verdict {
  ok: boolean;
  cell: string;
  /** why it is not ok, for the report */
  problems: string[];
}

const STEP_MENTION = /step \d+/i;

function judge(run: TestRun): Verdict {
  const passed = count(run, 'passed');
  const failed = count(run, 'failed');
  const skipped = count(run, 'skipped');
  const total = run.outcomes.length;
  if (run.target.kind !== 'mine') {
    // On node, a lesson whose tests are all about our own code skips them all.
    const ran = passed > 0 || (run.target.kind === 'node' && skipped > 0);
    const ok = run.exitCode === 0 && failed === 0 && ran;
    const cell = `${passed}/${total - skipped} pass${skipped ? `, ${skipped} skipped` : ''}`;
    const problems = ok ? [] : failed ? [`${failed} test(s) failed`] : ['no test ran'];
    return { ok, cell, problems };
  }
  // A starter must fail every test, each with a message that names the step to do next.
  const notTeaching = run.outcomes.filter((test) => test.outcome === 'failed' && !STEP_MENTION.test(test.message ?? ''));
  const problems = [
    ...run.outcomes.filter((test) => test.outcome === 'passed').map((test) => `passes on the starter: ${test.name}`),
    ...notTeaching.map((test) => `fails without naming a step: ${test.name}: ${firstLine(test.message)}`),
    ...(total === 0 ? ['no test ran'] : []),
  ];
  return { ok: problems.length === 0, cell: `${failed}/${total - skipped} fail, naming a step`, problems };
}

const firstLine = (text = '') => text.split('\n')[0].slice(0, 160);

/** Runs jobs with at most `limit` at a time (the machine has few cores and every test forks). */
async function inBatches<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  async function lane() {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]();
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, lane));
  return results;
}

interface CourseCheck {
  name: string;
  ok: boolean;
  seconds: number;
  output: string;
}

/** Other checks run as commands: the type check, and the docs checks once the docs exist. */
function runCommand(name: string, command: string, args: string[]): Promise<CourseCheck> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ name, ok: code === 0, seconds: (Date.now() - started) / 1000, output }));
  });
}

function courseChecks(): Array<() => Promise<CourseCheck>> {
  // TypeScript 7 exports no ./bin/tsc: find the command beside its package.json.
  const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  const checks = [() => runCommand('types (tsc --noEmit)', process.execPath, [tsc, '--noEmit'])];
  const benchTests = fs.existsSync(path.join(repoRoot, 'scripts', 'bench'))
    ? fs.readdirSync(path.join(repoRoot, 'scripts', 'bench')).filter((name) => name.endsWith('.test.ts'))
    : [];
  if (benchTests.length > 0) {
    const files = benchTests.map((name) => path.join('scripts', 'bench', name));
    checks.push(() => runCommand('bench arithmetic and report (node:test)', process.execPath, [...TYPESCRIPT_LOADER, '--test', ...files]));
  }
  const docsCheck = path.join(repoRoot, 'scripts', 'docs', 'check.ts');
  if (fs.existsSync(docsCheck)) {
    checks.push(() => runCommand('docs (build, links, browser, axe)', process.execPath, [...TYPESCRIPT_LOADER, docsCheck]));
  }
  return checks;
}

async function selfCheck(): Promise<void> {
  const started = Date.now();
  const lessons = listLessons();
  console.log(`Self-check of the course: ${lessons.length} lesson(s), each on its solution, on node:cluster and on its starter`);
  const kinds: TargetKind[] = ['solution', 'node', 'mine'];
  const jobs = lessons.flatMap((lesson) =>
    kinds.map((kind) => async () => {
      const run = await runLessonTests(lesson, targetFor(lesson, kind), false);
      const verdict = judge(run);
      console.log(
        `${verdict.ok ? '✔' : '✖'} lesson ${lesson.number} on ${run.target.description}: ${verdict.cell} (${run.seconds.toFixed(1)} s)`,
      );
      if (!verdict.ok) {
        for (const problem of verdict.problems) console.log(`    ${problem}`);
        console.log(indent(run.output));
      }
      return { run, verdict };
    }),
  );
  const results = await inBatches(jobs, 2);
  const checks = [];
  for (const check of courseChecks()) {
    const result = await check();
    console.log(`${result.ok ? '✔' : '✖'} ${result.name} (${result.seconds.toFixed(1)} s)`);
    if (!result.ok) console.log(indent(result.output));
    checks.push(result);
  }

  printTable(lessons, results);
  // The closing lines, in node:test's words: every test on a solution or on
  // node, every starter test that must fail, and each course check.
  const tests = results.flatMap(({ run }) => run.outcomes);
  const skipped = tests.filter((test) => test.outcome === 'skipped').length;
  const failed =
    results.filter(({ verdict }) => !verdict.ok).reduce((sum, { run }) => sum + Math.max(1, unexpected(run)), 0) +
    checks.filter((check) => !check.ok).length;
  const counted = tests.length - skipped + checks.length;
  console.log(`ℹ tests ${counted + skipped}`);
  console.log(`ℹ pass ${counted - failed}`);
  console.log(`ℹ fail ${failed}`);
  console.log(`ℹ skipped ${skipped}`);
  console.log(`ℹ duration_ms ${Date.now() - started}`);
  console.log(`${counted - failed} passed, ${failed} failed, ${skipped} skipped`);
  process.exitCode = failed === 0 ? 0 : 1;
}

/** Tests that did not do what they must: fail on a solution or node, pass (or fail mutely) on a starter. */
function unexpected(run: TestRun): number {
  if (run.target.kind !== 'mine') return count(run, 'failed');
  return run.outcomes.filter((test) => test.outcome === 'passed' || !STEP_MENTION.test(test.message ?? '')).length;
}

function printTable(lessons: Lesson[], results: Array<{ run: TestRun; verdict: Verdict }>): void {
  const cell = (lesson: Lesson, kind: TargetKind) => {
    const found = results.find(({ run }) => run.lesson === lesson && run.target.kind === kind);
    return found ? `${found.verdict.ok ? '✔' : '✖'} ${found.verdict.cell}` : '-';
  };
  const rows = lessons.map((lesson) => [
    `${lesson.number} ${lesson.slug.slice(3)}`,
    cell(lesson, 'solution'),
    cell(lesson, 'node'),
    cell(lesson, 'mine'),
  ]);
  const header = ['lesson', 'solution', 'node:cluster', 'starter (must fail)'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (row: string[]) => row.map((text, column) => text.padEnd(widths[column])).join('  ');
  console.log(`\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}`);
  for (const row of rows) console.log(line(row));
  console.log('');
}

const indent = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((line) => `    | ${line}`)
    .join('\n');

// ---------------------------------------------------------------- arguments

function main(words: string[]): Promise<void> {
  let kind: TargetKind | undefined;
  let lesson: Lesson | undefined;
  for (const word of words) {
    if (word === '--mine' || word === '--node') {
      if (kind) exitWithUsage('Choose one of --mine and --node.', USAGE);
      kind = word === '--mine' ? 'mine' : 'node';
    } else if (word.startsWith('-')) {
      exitWithUsage(`Unknown option ${word}.`, USAGE);
    } else if (lesson) {
      exitWithUsage(`One lesson at a time: got ${lesson.number} and ${word}.`, USAGE);
    } else {
      lesson = findLesson(word);
      if (!lesson) exitWithUsage(`There is no lesson ${JSON.stringify(word)}.`, USAGE);
    }
  }
  if (!lesson && !kind) return selfCheck();
  return testOnTarget(lesson ? [lesson] : listLessons(), kind ?? 'solution');
}

main(process.argv.slice(2));
