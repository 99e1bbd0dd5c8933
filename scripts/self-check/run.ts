// The course's self-check (`npm test`): every lesson's tests on
//   its reference solution and on node:cluster   (all pass),
//   its starter                                  (all fail, each naming a step),
//   the solution before it                       (they fail: the tests prove this lesson),
//   its starter with steps 1..k done, for each k (step k's tests pass, later steps' fail, naming a later step),
// then the course's own checks (starters made from the solutions, types, the scripts' tests, the docs).
// `--behaviour` keeps only what depends on the Node version (solution, node:cluster, starter): the
// version matrix runs that on the other Node versions.
import fs from 'node:fs';
import Module from 'node:module';
import path from 'node:path';
import { listLessons, repoRoot, targetFor, testFilesOf, TYPESCRIPT_LOADER, type Lesson, type Target } from '../course';
import { joinRuns, runLessonTests, stepsPattern, type TestRun } from '../lesson-tests';
import { readSteps } from '../steps/plan';
import { sourceFiles } from '../steps/markers';
import { makeStarter, uptoFolder, writeStarterUpTo, yourCluster } from '../steps/starter';
import { runCommand, type CourseCheck } from './commands';
import { selfCheckLanes } from './lanes';
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

/**
 * How much runs at once (lanes.ts). The runs are one test file each; the runs
 * that mostly wait take part of a lane (see Part.load).
 */
const CAPACITY = selfCheckLanes();

/** A target for code that is neither the learner's nor node: the solution before, a half-done starter. */
function folderTarget(kind: Target['kind'], folder: string, description: string): Target {
  return { kind, clusterTarget: folder, description };
}

/** One process: one test file of one lesson, on one target, maybe only some of its tests. */
interface Part {
  cell: CellPlan;
  /** the step-by-step column: the starter with steps 1..step done */
  step?: number;
  file: string;
  target: Target;
  pattern?: RegExp;
  env?: Record<string, string>;
  /** how long it may take, roughly (tests it runs, times how slow they are there): longest first */
  weight: number;
  /** the share of a lane it takes: a run on the solution before mostly waits for deadlines */
  load: number;
}

/** One cell of the table: its parts, and how to judge them once all have run. */
interface CellPlan {
  lesson: Lesson;
  column: Column;
  parts: Part[];
  finished: Array<{ part: Part; run: TestRun }>;
  judge: (finished: Array<{ part: Part; run: TestRun }>, seconds: number) => Cell;
}

/** What a run of a test on each target costs, relative to one on the solution. */
const SLOWNESS: Record<Column, number> = { solution: 1, node: 1, starter: 0.3, previous: 2, steps: 1 };

/** The names of a test file's tests, read from its text; undefined if some could not be read. */
function testNamesIn(file: string): string[] | undefined {
  const text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
  const calls = text.match(/\bguardedTest\(/g)?.length ?? 0;
  const names = [...text.matchAll(/\bguardedTest\(\s*(['"`])(.*?)\1\s*,/gs)].map((match) => match[2]);
  return names.length === calls ? names : undefined;
}

/** The parts of one cell: one per test file that has tests to run (all of them, if the names cannot be read). */
function planCell(lesson: Lesson, column: Column, judge: CellPlan['judge'], runs: Array<Omit<Part, 'cell' | 'file' | 'weight' | 'load'>>): CellPlan {
  const cell: CellPlan = { lesson, column, parts: [], finished: [], judge };
  for (const run of runs) {
    for (const file of testFilesOf(lesson)) {
      const names = testNamesIn(file);
      const matching = names?.filter((name) => !run.pattern || run.pattern.test(name)).length ?? 8;
      if (matching === 0) continue;
      cell.parts.push({ ...run, cell, file, weight: matching * SLOWNESS[column], load: column === 'previous' ? 0.5 : 1 });
    }
  }
  return cell;
}

function lessonCells(lesson: Lesson, lessons: Lesson[], behaviourOnly: boolean): CellPlan[] {
  const whole = (column: Column, target: Target, judge: (run: TestRun) => Verdict, env?: Record<string, string>) =>
    planCell(
      lesson,
      column,
      (finished, seconds) => {
        const run =
          finished.length > 0 ? joinRuns(finished.map((each) => each.run), seconds) : { lesson, target, outcomes: [], exitCode: 0, output: '', seconds };
        // Only the solution, node and starter runs count in the closing lines: the others re-run the same tests.
        const counted = column === 'solution' || column === 'node' || column === 'starter';
        return { lesson, column, verdict: judge(run), output: run.output, seconds, runs: counted ? [run] : [] };
      },
      [{ target, env }],
    );
  const cells = [
    whole('solution', targetFor(lesson, 'solution'), judgeMustPass),
    whole('node', targetFor(lesson, 'node'), judgeMustPass),
    // Every test of a step must fail on the starter: one that reaches a stub fails there and then.
    whole('starter', targetFor(lesson, 'mine'), judgeStarter, { CLUSTER_STOP_AT_TODO_AFTER_STEP: '0' }),
  ];
  if (behaviourOnly) return cells;
  const previous = lessons.find((other) => other.number === lesson.number - 1);
  if (previous) {
    const target = folderTarget('solution', previous.solutionDir, `the solution before (${previous.solutionDir})`);
    cells.push(whole('previous', target, judgePrevious));
  }
  const steps = readSteps(lesson).length;
  if (steps > 0) cells.push(stepByStep(lesson, steps));
  return cells;
}

/**
 * The starter with steps 1..k done, for every k, each run on the tests of
 * steps k and k+1: step k's must pass, step k+1's must fail, naming a later
 * step (one that reaches a stub fails there and then). The tests of earlier
 * steps were seen passing after their own step, and the solution run shows
 * that the later steps do not break them. A test of step k+2 or later was seen
 * failing on the starter (no step done) and after step k+1, with fewer stubs
 * left: what it does after step k lies between, and a failure there can only
 * name a later step (no stub of step k or before is left, and the test is
 * named for its own step). With every step done, the starter is the solution
 * (the solution column ran it): the last step is checked by comparing the
 * code, not by running the tests again.
 */
function stepByStep(lesson: Lesson, steps: number): CellPlan {
  const lastIsSolution = isTheSolution(makeStarter(lesson, { filledUpTo: steps }), lesson);
  const upTo = Array.from({ length: lastIsSolution ? steps - 1 : steps }, (_, index) => index + 1);
  const judge = (finished: Array<{ part: Part; run: TestRun }>, seconds: number): Cell => {
    const runs = upTo.map((step) => {
      const ofStep = finished.filter(({ part }) => part.step === step).map((each) => each.run);
      const run: TestRun = ofStep.length > 0 ? joinRuns(ofStep, seconds) : { lesson, target: targetFor(lesson, 'mine'), outcomes: [], exitCode: 0, output: '', seconds: 0 };
      return { step, run };
    });
    const output = runs.map(({ step, run }) => `after step ${step}:\n${run.output}`).join('\n');
    const verdict = judgeSteps(runs, steps);
    if (!lastIsSolution) verdict.problems.push(`with all ${steps} steps done, the starter is not the solution's code`);
    verdict.ok &&= lastIsSolution;
    return { lesson, column: 'steps', verdict, output, seconds, runs: [] };
  };
  return planCell(
    lesson,
    'steps',
    judge,
    upTo.map((step) => ({
      step,
      target: folderTarget('mine', uptoFolder(lesson, step), `the starter with steps 1-${step} done`),
      pattern: stepsPattern(step, Math.min(step + 1, steps)),
      env: { CLUSTER_STOP_AT_TODO_AFTER_STEP: String(step) },
    })),
  );
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

/**
 * Fills tsx's cache (its compiled copy of each TypeScript file, kept in the
 * system's temporary folder) before the runs start: in a fresh clone every
 * file is new to it, and the first processes to start (dozens side by side,
 * and each worker they fork) would each compile the same files, each with an
 * esbuild helper of its own. Here one process compiles each file once; the
 * runs then find them all compiled. Nothing runs: the loader's handler is
 * given a module whose _compile() does nothing. A file it cannot compile is
 * left for its run to report.
 */
function warmTypeScriptCache(folders: string[]): void {
  const handler = (Module as unknown as { _extensions: Record<string, ((module: object, file: string) => void) | undefined> })._extensions['.ts'];
  if (!handler) return;
  for (const folder of folders) {
    if (!fs.existsSync(path.join(repoRoot, folder))) continue;
    for (const name of fs.readdirSync(path.join(repoRoot, folder), { recursive: true }) as string[]) {
      if (!name.endsWith('.ts') || name.includes('node_modules')) continue;
      const file = path.join(repoRoot, folder, name);
      try {
        handler({ id: file, filename: file, paths: [], _compile() {} }, file);
      } catch {
        // its own run says what is wrong with it
      }
    }
  }
}

/** Runs the part; once the last part of its cell is done, judges the cell and prints its line. */
async function runPart(part: Part, upToFolders: Map<string, number>): Promise<Cell | undefined> {
  const { cell } = part;
  const run = await runLessonTests(cell.lesson, part.target, false, part.pattern, { files: [part.file], env: part.env });
  cell.finished.push({ part, run });
  if (part.step !== undefined) {
    // The half-done starter's folder goes once every run on it is done.
    const folder = part.target.clusterTarget;
    const left = upToFolders.get(folder)! - 1;
    upToFolders.set(folder, left);
    if (left === 0) fs.rmSync(path.join(repoRoot, folder), { recursive: true, force: true });
  }
  if (cell.finished.length < cell.parts.length) return undefined;
  // The cell's own time: its runs' added up (they ran among the others' at various times).
  const done = cell.judge(cell.finished, cell.finished.reduce((sum, each) => sum + each.run.seconds, 0));
  printCellLine(done);
  return done;
}

function printCellLine(cell: Cell): void {
  console.log(`${cell.verdict.ok ? '✔' : '✖'} lesson ${cell.lesson.number}, ${HEADERS[cell.column]}: ${cell.verdict.cell} (${cell.seconds.toFixed(1)} s)`);
  if (!cell.verdict.ok) {
    for (const problem of cell.verdict.problems) console.log(`    ${problem}`);
    console.log(indent(cell.output));
  }
}

interface Task<T> {
  load: number;
  run: () => Promise<T>;
}

/**
 * Runs the tasks in order, starting the next whenever the loads of those
 * running leave room for it; results in the order they ended. A task that
 * throws stops no other: the first error is thrown once all have ended.
 */
async function shareLanes<T>(tasks: Array<Task<T>>, capacity: number): Promise<T[]> {
  const results: T[] = [];
  const errors: unknown[] = [];
  let running = 0;
  let next = 0;
  await new Promise<void>((resolve) => {
    let active = 0;
    const startMore = () => {
      while (next < tasks.length && (active === 0 || running + tasks[next].load <= capacity + 1e-9)) {
        const task = tasks[next++];
        running += task.load;
        active++;
        task
          .run()
          .then((result) => void results.push(result), (error: unknown) => void errors.push(error))
          .finally(() => {
            running -= task.load;
            active--;
            if (next === tasks.length && active === 0) resolve();
            else startMore();
          });
      }
    };
    if (tasks.length === 0) resolve();
    else startMore();
  });
  if (errors.length > 0) throw errors[0];
  return results;
}

function courseChecks(): Array<() => Promise<CourseCheck>> {
  const node = (name: string, ...args: string[]) => () => runCommand(name, process.execPath, args);
  const checks = [
    node('starters (made from the solutions and steps.md, every step with its hints)', ...TYPESCRIPT_LOADER, 'scripts/starters.ts', '--check'),
    // One compiler run: its type errors, and the imports it resolves (no circle among them).
    node('types and import circles (tsc --noEmit, and the imports it resolves)', ...TYPESCRIPT_LOADER, 'scripts/self-check/import-cycles.ts'),
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
  const plans = lessons.flatMap((lesson) => lessonCells(lesson, lessons, behaviourOnly));
  // The half-done starters are written now, each removed after its last run.
  const upToFolders = new Map<string, number>();
  for (const plan of plans.filter((each) => each.column === 'steps')) {
    for (const part of plan.parts) {
      if (!upToFolders.has(part.target.clusterTarget)) writeStarterUpTo(plan.lesson, part.step!);
      upToFolders.set(part.target.clusterTarget, (upToFolders.get(part.target.clusterTarget) ?? 0) + 1);
    }
  }
  warmTypeScriptCache(['lessons', 'solutions', 'testing', path.join('scripts', 'target'), ...upToFolders.keys()]);
  // A cell whose files have no tests at all (none to run) is judged at once.
  const emptyCells = plans.filter((plan) => plan.parts.length === 0).map((plan) => {
    const cell = plan.judge([], 0);
    printCellLine(cell);
    return cell;
  });
  // Longest cells first, so that the lanes end together; a cell's files one after another, so that its line
  // comes as soon as they are done.
  const cellWeight = (plan: CellPlan) => plan.parts.reduce((sum, part) => sum + part.weight * part.load, 0);
  const parts = [...plans]
    .sort((a, b) => cellWeight(b) - cellWeight(a))
    .flatMap((plan) => [...plan.parts].sort((a, b) => b.weight - a.weight));
  const partTasks: Array<Task<Cell | CourseCheck | undefined>> = parts.map((part) => ({ load: part.load, run: () => runPart(part, upToFolders) }));
  const checkTasks: Array<Task<Cell | CourseCheck | undefined>> = (behaviourOnly ? [] : courseChecks()).map((job) => ({
    load: 1,
    run: async () => {
      const check = await job();
      console.log(`${check.ok ? '✔' : '✖'} ${check.name} (${check.seconds.toFixed(1)} s)`);
      console.log(indent(check.ok ? check.summary : check.output));
      return check;
    },
  }));
  // The course checks go first: the docs check is the longest single run.
  let results: Array<Cell | CourseCheck | undefined>;
  try {
    results = await shareLanes([...checkTasks, ...partTasks], CAPACITY);
  } finally {
    for (const folder of upToFolders.keys()) fs.rmSync(path.join(repoRoot, folder), { recursive: true, force: true });
  }
  const done = results.filter((result): result is Cell | CourseCheck => result !== undefined);
  const lessonResults = [...emptyCells, ...done.filter((cell): cell is Cell => 'column' in cell)];
  const checks = done.filter((cell): cell is CourseCheck => !('column' in cell));
  printTable(lessons, columns, lessonResults);
  printFailuresAgain(lessonResults);
  printCheckLine(checks);
  printClosingLines(lessonResults, checks, started);
}

/** Under the table, what each failed cell saw (its output came earlier, among the others). */
function printFailuresAgain(cells: Cell[]): void {
  for (const cell of cells) {
    if (cell.verdict.ok) continue;
    console.log(`✖ lesson ${cell.lesson.number}, ${HEADERS[cell.column]}:\n${indent(cell.verdict.problems.join('\n'))}`);
  }
}

/**
 * The course checks on one line, and again the end of each failed one's output: their own lines came
 * early, and a log read from its tail (CI's) would otherwise show a failure without saying where.
 */
function printCheckLine(checks: CourseCheck[]): void {
  if (checks.length === 0) return;
  console.log(checks.map((check) => `${check.ok ? '✔' : '✖'} ${check.name.replace(/ \(.*\)$/, '')}`).join('  '));
  for (const check of checks) {
    if (check.ok) continue;
    const lastLines = check.output.trimEnd().split('\n').slice(-40).join('\n');
    console.log(`\n✖ ${check.name}, the end of its output:\n${indent(lastLines)}`);
  }
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
