// Which steps of a lesson the learner's code has done, read from its test
// outcomes. A test is named for the step it proves ("step 3: ..."), or for the
// last of the steps it needs ("step 2-4: ..." is step 4's); a step is done when
// every test named for it passes.
import { stepOfTest, type TestOutcome } from '../lesson-tests';

export type StepState = 'done' | 'failing' | 'untested';

export interface StepReport {
  step: number;
  state: StepState;
  /** the tests named for this step that failed, in the order they ran */
  failures: TestOutcome[];
}

/**
 * One report per step 1..stepCount (the lesson's steps.md may name more steps
 * than the tests do, or the tests more than a steps.md not written yet).
 * A skipped test (one that does not apply on this target) neither passes nor fails.
 */
export function stepReports(outcomes: TestOutcome[], stepCount: number): StepReport[] {
  const count = Math.max(stepCount, ...outcomes.map((test) => stepOfTest(test.name) ?? 0));
  return Array.from({ length: count }, (_, index) => {
    const step = index + 1;
    const mine = outcomes.filter((test) => stepOfTest(test.name) === step && test.outcome !== 'skipped');
    const failures = mine.filter((test) => test.outcome === 'failed');
    const state: StepState = mine.length === 0 ? 'untested' : failures.length ? 'failing' : 'done';
    return { step, state, failures };
  });
}

/** The lowest step with a failing test: the one to work on next. */
export function firstFailingStep(reports: StepReport[]): StepReport | undefined {
  return reports.find((report) => report.state === 'failing');
}

/** Failed tests named for no step (a check of an earlier lesson's behaviour, or a file that did not load). */
export function failuresOutsideSteps(outcomes: TestOutcome[]): TestOutcome[] {
  return outcomes.filter((test) => test.outcome === 'failed' && stepOfTest(test.name) === undefined);
}
