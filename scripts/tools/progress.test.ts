// progress: a step is done when every test named for it passes; the table marks
// one next step, the first failing one in the course's order; --stats counts a
// stage's new code lines with a line diff, less comments and blank lines.
import assert from 'node:assert/strict';
import test from 'node:test';
import type { Lesson } from '../course';
import type { TestOutcome, TestRun } from '../lesson-tests';
import { addedLines, codeLineFlags } from './code-lines';
import { progressReport } from './progress-table';
import { firstFailingStep, stepReports } from './step-status';

const pass = (name: string): TestOutcome => ({ name, outcome: 'passed' });
const fail = (name: string, message = 'expected x, got y'): TestOutcome => ({ name, outcome: 'failed', message });

test('a step is done when every test named for it passes; "step 2-3" counts as step 3; skipped tests do not count', () => {
  const outcomes = [
    pass('step 1: a'),
    pass('step 1: b'),
    pass('step 2: c'),
    fail('step 2-3: d'),
    { name: 'step 3: on node only', outcome: 'skipped' } as TestOutcome,
    fail('step 5: e'),
    fail('regression (lesson 3): f'),
  ];
  const reports = stepReports(outcomes, 4);
  assert.deepEqual(reports.map((report) => report.state), ['done', 'done', 'failing', 'untested', 'failing']);
  assert.equal(firstFailingStep(reports)?.step, 3);
  assert.deepEqual(firstFailingStep(reports)?.failures.map((test) => test.name), ['step 2-3: d']);
});

const lesson = (number: number, title: string): Lesson => ({ number, slug: `0${number}-x`, title, lessonDir: `lessons/0${number}-x`, solutionDir: `solutions/0${number}-x` });
const runOf = (of: Lesson, outcomes: TestOutcome[], exitCode = 1): TestRun => ({
  lesson: of,
  target: { kind: 'mine', clusterTarget: `${of.lessonDir}/cluster`, description: 'your code' },
  outcomes,
  exitCode,
  output: 'the output',
  seconds: 1,
});

test('the table: done, next and not yet per step, the total, and the next step with its hint command', () => {
  const one = lesson(1, 'Fork: one process per core');
  const two = lesson(2, 'Messaging: the channel');
  const progress = [
    { lesson: one, outcomes: [pass('step 1: a'), pass('step 2: b'), fail('step 3: c'), fail('step 4: d')] },
    { lesson: two, outcomes: [pass('step 1: a'), fail('step 2: b')] },
  ].map(({ lesson: of, outcomes }) => ({ lesson: of, run: runOf(of, outcomes), reports: stepReports(outcomes, 0) }));
  assert.equal(
    progressReport(progress),
    [
      'lesson        1  2  3  4  done',
      '────────────  ─  ─  ─  ─  ────',
      ' 1 Fork       ✔  ✔  ▶  ·   2/4',
      ' 2 Messaging  ✔  ·         1/2',
      '',
      'total: 3 of 6 steps done  (✔ done, ▶ next, · not yet)',
      'next: lesson 1, step 3: npm run hint 1 3',
    ].join('\n'),
  );
});

test('a lesson whose tests did not run is not shown as done', () => {
  const one = lesson(1, 'Fork');
  const report = progressReport([{ lesson: one, run: runOf(one, [], 1), reports: stepReports([], 2) }]);
  assert.match(report, / 1 Fork {2}\? {2}\? {2}0\/2 ✖\n[^]*\? no test of this step ran/);
  assert.match(report, /✖ lesson 1: the tests did not run to the end \(exit code 1\):\n {2}the output/);
  assert.doesNotMatch(report, /next:/);
});

test('every step done: the next line says so', () => {
  const one = lesson(1, 'Fork');
  const outcomes = [pass('step 1: a')];
  assert.match(progressReport([{ lesson: one, run: runOf(one, outcomes, 0), reports: stepReports(outcomes, 1) }]), /next: lesson 1 is done on your code\.$/);
});

test('code lines: comments, block comments and blank lines are not code', () => {
  const lines = ['// a comment', '/**', ' * docs', ' */', 'const a = 1; // trailing', '', '  /* inline */ call();', '/* one line */', 'x();'];
  assert.deepEqual(codeLineFlags(lines), [false, false, false, false, true, false, true, false, true]);
});

test('new lines are the lines a line diff shows as added', () => {
  const before = ['a', 'b', 'c', 'd'];
  const after = ['a', 'x', 'b', 'd', 'y', 'c'];
  // One longest common part is a, b, d (or a, b, c): either way 3 lines are added.
  assert.equal(addedLines(before, after).size, 3);
  assert.deepEqual([...addedLines([], ['p', 'q'])], [0, 1], 'a new file is all new');
  assert.deepEqual([...addedLines(['p', 'q'], ['p', 'q'])], []);
});
