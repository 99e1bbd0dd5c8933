// The course's self-check (`npm test`): every lesson's tests on
//   its reference solution and on node:cluster   (all pass),
//   its starter                                  (all fail, each naming a step),
//   the solution before it                       (they fail: the tests prove this lesson),
//   its starter with steps 1..k done, for each k (step k's tests pass, later steps' fail, naming a later step),
// then the course's own checks (starters made from the solutions, types, the scripts' tests, the docs).
// `--behaviour` keeps only what depends on the Node version (solution, node:cluster, starter): the
// version matrix runs that on the other Node versions.
import fs from 'node:fs';
import path from 'node:path';
import { listLessons, repoRoot, targetFor, TYPESCRIPT_LOADER, type Lesson, type Target } from '../course';
import { inBatches, runLessonTests, stepsPattern, type TestRun } from '../lesson-tests';
import { readSteps } from '../steps/plan';
import { sourceFiles } from '../steps/markers';
import { makeStarter, writeStarterUpTo, yourCluster } from '../steps/starter';
import { runCommand, type CourseCheck } from './commands';
import { judgeMustPass, judgePrevious, judgeStarter, judgeSteps, type Verdict } from './verdicts';

type Column = 'solution' | 'node' | 'starter' | 'previous' | 'steps';

const HEADERS: Record<Column, string> = {
  solution: 'solution',
  node: 'node:cluster',
  starter: 'starter (must fail)',
  previous: 'solution N-1 (must fail)',
  steps: 'step by step',
};

interface Cell {
  lesson: Lesson;
  column: Column;
  verdict: Verdict;
  /** node:test's output of the runs behind the cell, shown when it is not ok */
  output: string;
  seconds: number;
  /** tests counted in the closing lines (the solution, node and starter runs) */
  runs: TestRun[];
}

const LANES = 3;

/** A target for code that is neither the learner's nor node: the solution before, a half-done starter. */
function folderTarget(kind: Target['kind'], folder: string, description: string): Target {
  return { kind, clusterTarget: folder, description };
}

interface LessonJob {
  lesson: Lesson;
  column: Column;
  run: () => Promise<Cell>;
}

function lessonJobs(lesson: Lesson, lessons: Lesson[], behaviourOnly: boolean): LessonJob[] {
  const one = (column: Column, target: Target, judge: (run: TestRun) => Verdict): LessonJob => ({
    lesson,
    column,
    run: async () => {
      const run = await runLessonTests(lesson, target, false);
      // Only the solution, node and starter runs count in the closing lines: the others re-run the same tests.
      const counted = column === 'solution' || column === 'node' || column === 'starter';
      return { lesson, column, verdict: judge(run), output: run.output, seconds: run.seconds, runs: counted ? [run] : [] };
    },
  });
  const jobs = [
    one('solution', targetFor(lesson, 'solution'), judgeMustPass),
    one('node', targetFor(lesson, 'node'), judgeMustPass),
    one('starter', targetFor(lesson, 'mine'), judgeStarter),
  ];
  if (behaviourOnly) return jobs;
  const previous = lessons.find((other) => other.number === lesson.number - 1);
  if (previous) {
    const target = folderTarget('solution', previous.solutionDir, `the solution before (${previous.solutionDir})`);
    jobs.push(one('previous', target, judgePrevious));
  }
  const steps = readSteps(lesson).length;
  if (steps > 0) jobs.push({ lesson, column: 'steps', run: () => stepByStep(lesson, steps) });
  return jobs;
}

/**
 * Longest first, so that two lanes finish together: the step-by-step and
 * solution-before runs of the later (bigger) lessons, then the rest.
 */
function longestFirst(jobs: LessonJob[]): LessonJob[] {
  const weight: Record<Column, number> = { steps: 0, previous: 1, solution: 2, node: 2, starter: 3 };
  return [...jobs].sort((a, b) => weight[a.column] - weight[b.column] || b.lesson.number - a.lesson.number);
}

/**
 * The starter with steps 1..k done, for every k, each run on the tests of
 * steps k and later: step k's must pass, later ones must fail. (The tests of
 * earlier steps were seen passing after their own step; the solution run
 * shows that the later steps do not break them.)
 */
async function stepByStep(lesson: Lesson, steps: number): Promise<Cell> {
  const started = Date.now();
  const runs: Array<{ step: number; run: TestRun }> = [];
  // With every step done, the starter is the solution (the solution column ran it): the last step is
  // checked by comparing the code, not by running the tests again.
  const lastIsSolution = isTheSolution(makeStarter(lesson, { filledUpTo: steps }), lesson);
  for (let step = 1; step <= (lastIsSolution ? steps - 1 : steps); step++) {
    const folder = writeStarterUpTo(lesson, step);
    const target = folderTarget('mine', folder, `the starter with steps 1-${step} done`);
    const run = await runLessonTests(lesson, target, false, stepsPattern(step, steps));
    runs.push({ step, run });
    fs.rmSync(path.join(repoRoot, folder), { recursive: true, force: true });
  }
  const output = runs.map(({ step, run }) => `after step ${step}:\n${run.output}`).join('\n');
  const verdict = judgeSteps(runs, steps);
  if (!lastIsSolution) verdict.problems.push(`with all ${steps} steps done, the starter is not the solution's code`);
  verdict.ok &&= lastIsSolution;
  return { lesson, column: 'steps', verdict, output, seconds: (Date.now() - started) / 1000, runs: [] };
}

/** The made files are the solution's (but for the index's first line, which says whose cluster it is). */
function isTheSolution(made: Map<string, string>, lesson: Lesson): boolean {
  const files = sourceFiles(lesson.solutionDir);
  return (
    files.length === made.size &&
    files.every((file) => {
      const solution = fs.readFileSync(path.join(repoRoot, lesson.solutionDir, file), 'utf8');
      return made.get(file) === yourCluster(solution, lesson);
    })
  );
}

function courseChecks(): Array<() => Promise<CourseCheck>> {
  const node = (name: string, ...args: string[]) => () => runCommand(name, process.execPath, args);
  const checks = [
    node('starters (made from the solutions and steps.md, every step with its hints)', ...TYPESCRIPT_LOADER, 'scripts/starters.ts', '--check'),
    // TypeScript 7 exports no ./bin/tsc: the command is found beside its package.json.
    node('types (tsc --noEmit)', path.join(path.dirname(require.resolve('typescript/package.json')), 'bin', 'tsc'), '--noEmit'),
  ];
  checks.push(node('conformance (programs written for node:cluster, on the newest solution)', ...TYPESCRIPT_LOADER, 'scripts/conformance.ts'));
  const scriptTests = testFilesUnder('scripts');
  if (scriptTests.length > 0) checks.push(node("the scripts' own tests (node:test)", ...TYPESCRIPT_LOADER, '--test', ...scriptTests));
  const docsCheck = path.join('scripts', 'docs', 'check.ts');
  if (fs.existsSync(path.join(repoRoot, docsCheck))) checks.push(node('docs (build, links, browser, axe)', ...TYPESCRIPT_LOADER, docsCheck));
  return checks;
}

/** scripts/**\/*.test.ts, relative to the repository root. */
function testFilesUnder(folder: string): string[] {
  return (fs.readdirSync(path.join(repoRoot, folder), { recursive: true }) as string[])
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => path.join(folder, file))
    .sort();
}

export async function selfCheck({ behaviourOnly = false } = {}): Promise<void> {
  const started = Date.now();
  const lessons = listLessons();
  const columns: Column[] = behaviourOnly ? ['solution', 'node', 'starter'] : ['solution', 'node', 'starter', 'previous', 'steps'];
  console.log(
    `Self-check of the course on Node ${process.version}: ${lessons.length} lesson(s), each on ` +
      (behaviourOnly ? 'its solution, on node:cluster and on its starter' : 'its solution, on node:cluster, on its starter, on the solution before it and step by step'),
  );
  const lessonCells = longestFirst(lessons.flatMap((lesson) => lessonJobs(lesson, lessons, behaviourOnly))).map((job) => async () => {
    const cell = await job.run();
    console.log(`${cell.verdict.ok ? '✔' : '✖'} lesson ${cell.lesson.number}, ${HEADERS[cell.column]}: ${cell.verdict.cell} (${cell.seconds.toFixed(1)} s)`);
    if (!cell.verdict.ok) {
      for (const problem of cell.verdict.problems) console.log(`    ${problem}`);
      console.log(indent(cell.output));
    }
    return cell;
  });
  const checkJobs = (behaviourOnly ? courseChecks().slice(0, 0) : courseChecks()).map((job) => async () => {
    const check = await job();
    console.log(`${check.ok ? '✔' : '✖'} ${check.name} (${check.seconds.toFixed(1)} s)`);
    console.log(indent(check.ok ? check.summary : check.output));
    return check;
  });
  // The course checks (a minute between them) go after the longest lesson runs, before the short ones.
  const longRuns = behaviourOnly ? 0 : lessonCells.length - 3 * lessons.length;
  const jobs = [...lessonCells.slice(0, longRuns), ...checkJobs, ...lessonCells.slice(longRuns)];
  // Three at a time on two cores: much of a lesson run is waiting (for workers to start, for a deadline to pass
  // on the solution before), and a third lane fills that time.
  const cells = await inBatches<Cell | CourseCheck>(jobs, LANES);
  const lessonResults = cells.filter((cell): cell is Cell => 'column' in cell);
  const checks = cells.filter((cell): cell is CourseCheck => !('column' in cell));
  printTable(lessons, columns, lessonResults);
  printClosingLines(lessonResults, checks, started);
}

/** The closing lines, in node:test's words: every test behind a lesson cell, and each course check. */
function printClosingLines(cells: Cell[], checks: CourseCheck[], started: number): void {
  const tests = cells.flatMap((cell) => cell.runs.flatMap((run) => run.outcomes));
  const skipped = tests.filter((test) => test.outcome === 'skipped').length;
  // A cell that is not ok counts each test that did not do what it must, at least one.
  const failed = cells.filter((cell) => !cell.verdict.ok).reduce((sum, cell) => sum + Math.max(1, cell.verdict.problems.length), 0) + checks.filter((check) => !check.ok).length;
  const counted = tests.length - skipped + cells.filter((cell) => cell.runs.length === 0).length + checks.length;
  console.log(`ℹ tests ${counted + skipped}`);
  console.log(`ℹ pass ${counted - failed}`);
  console.log(`ℹ fail ${failed}`);
  console.log(`ℹ skipped ${skipped}`);
  console.log(`ℹ duration_ms ${Date.now() - started}`);
  console.log(`${Math.max(0, counted - failed)} passed, ${failed} failed, ${skipped} skipped`);
  process.exitCode = failed === 0 ? 0 : 1;
}

function printTable(lessons: Lesson[], columns: Column[], cells: Cell[]): void {
  const text = (lesson: Lesson, column: Column) => {
    const found = cells.find((cell) => cell.lesson === lesson && cell.column === column);
    return found ? `${found.verdict.ok ? '✔' : '✖'} ${found.verdict.cell}` : '-';
  };
  const rows = lessons.map((lesson) => [`${lesson.number} ${lesson.slug.slice(3)}`, ...columns.map((column) => text(lesson, column))]);
  const header = ['lesson', ...columns.map((column) => HEADERS[column])];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  console.log(`\n${line(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}`);
  for (const row of rows) console.log(line(row));
  console.log('');
}

const indent = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => `    | ${line}`)
    .join('\n');
