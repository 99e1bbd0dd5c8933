// What each kind of run must show for the course to be sound. Every judge
// returns the table cell and, when something is off, what to look at.
import { count, stepOfTest, type TestOutcome, type TestRun } from '../lesson-tests';

export interface Verdict {
  ok: boolean;
  cell: string;
  /** why it is not ok, for the report */
  problems: string[];
}

/** A test that checks an earlier lesson's behaviour on the new code says so, and is named for no step. */
export const isRegression = (test: TestOutcome) => /^regression \(lesson \d+\): /.test(test.name);

const STEP_MENTION = /step (\d+)/gi;

/** The step numbers a failure message names ("TODO lesson 4, step 5: …", "step 3: the worker should …"). */
function stepsNamedIn(message = ''): number[] {
  return [...message.matchAll(STEP_MENTION)].map((match) => Number(match[1]));
}

export const firstLine = (text = '') => text.split('\n')[0].slice(0, 200);

/** On a reference solution or on node:cluster, every test passes (node skips tests of our own protocol). */
export function judgeMustPass(run: TestRun): Verdict {
  const passed = count(run, 'passed');
  const failed = count(run, 'failed');
  const skipped = count(run, 'skipped');
  const total = run.outcomes.length;
  const ran = passed > 0 || (run.target.kind === 'node' && skipped > 0);
  const ok = run.exitCode === 0 && failed === 0 && ran;
  const cell = `${passed}/${total - skipped} pass${skipped ? `, ${skipped} skipped` : ''}`;
  const problems = ok ? [] : failed ? run.outcomes.filter((test) => test.outcome === 'failed').map((test) => `fails: ${test.name}: ${firstLine(test.message)}`) : ['no test ran'];
  return { ok, cell, problems };
}

/** On the starter, every test fails, and its message names the step to do next. */
export function judgeStarter(run: TestRun): Verdict {
  const total = run.outcomes.length - count(run, 'skipped');
  const problems = [
    ...run.outcomes.filter((test) => test.outcome === 'passed' && !isRegression(test)).map((test) => `passes on the starter: ${test.name}`),
    ...run.outcomes
      .filter((test) => test.outcome === 'failed' && stepsNamedIn(test.message).length === 0)
      .map((test) => `fails without naming a step: ${test.name}: ${firstLine(test.message)}`),
    ...(total === 0 ? ['no test ran'] : []),
  ];
  return { ok: problems.length === 0, cell: `${count(run, 'failed')}/${total} fail, naming a step`, problems };
}

/** On the solution before, lesson N's tests fail: they prove lesson N (regression tests aside). */
export function judgePrevious(run: TestRun): Verdict {
  const proving = run.outcomes.filter((test) => !isRegression(test) && test.outcome !== 'skipped');
  const problems = [
    ...proving.filter((test) => test.outcome === 'passed').map((test) => `passes on the solution before: ${test.name} (make it prove this lesson, or name it "regression (lesson M): …")`),
    ...(proving.length === 0 ? ['no test ran'] : []),
  ];
  const regressions = run.outcomes.filter((test) => isRegression(test) && test.outcome !== 'skipped').length;
  const failed = proving.filter((test) => test.outcome === 'failed').length;
  return { ok: problems.length === 0, cell: `${failed}/${proving.length} fail${regressions ? `, ${regressions} regression` : ''}`, problems };
}

/**
 * On the starter with steps 1..k done: the tests of steps 1..k pass, and every
 * test of a later step fails with a message that names a later step.
 */
export function problemsAfterStep(run: TestRun, k: number): string[] {
  const problems: string[] = [];
  for (const test of run.outcomes) {
    const step = stepOfTest(test.name);
    if (step === undefined || test.outcome === 'skipped') continue;
    if (step <= k && test.outcome === 'failed') problems.push(`after step ${k}: fails: ${test.name}: ${firstLine(test.message)}`);
    if (step > k && test.outcome === 'passed') problems.push(`after step ${k}: passes already: ${test.name} (a test is named for the last step it needs)`);
    if (step > k && test.outcome === 'failed' && !stepsNamedIn(test.message).some((named) => named > k)) {
      problems.push(`after step ${k}: fails without naming a later step: ${test.name}: ${firstLine(test.message)}`);
    }
  }
  if (run.outcomes.length === 0) problems.push(`after step ${k}: no test ran`);
  return problems;
}

/** The step-by-step column: one cell for all of a lesson's `steps` steps. */
export function judgeSteps(runs: Array<{ step: number; run: TestRun }>, steps: number): Verdict {
  const problems = runs.flatMap(({ step, run }) => problemsAfterStep(run, step));
  const cell = problems.length === 0 ? `steps 1-${steps} each check on their own` : `${new Set(problems.map((line) => line.split(':')[0])).size} of ${steps} steps do not`;
  return { ok: problems.length === 0, cell, problems };
}
