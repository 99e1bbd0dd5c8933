// What a learner's tool says about one test run of a lesson on the learner's
// code: the first failing step with its message and the hint command, or a
// green line and what to do next. Only the first failing step: later steps
// usually fail because of it, and a screen of failures teaches nothing.
import path from 'node:path';
import { listLessons, type Lesson } from '../course';
import type { TestOutcome, TestRun } from '../lesson-tests';
import { hintCommand } from './hint-line';
import { failuresOutsideSteps, firstFailingStep, stepReports } from './step-status';

/** A message can carry a program's whole output: the first lines say what went wrong. */
const MESSAGE_LINES = 12;

export function summarizeRun(run: TestRun, stepCount: number, colour: boolean): string {
  const lesson = run.lesson;
  const failing = firstFailingStep(stepReports(run.outcomes, stepCount));
  if (failing) {
    const [first] = failing.failures;
    const others = failing.failures.length - 1;
    return [
      red(`✖ lesson ${lesson.number}, step ${failing.step}: ${withoutStep(first.name)}`, colour) + (others ? ` (and ${others} more test${others > 1 ? 's' : ''} of this step)` : ''),
      indent(shortMessage(first, lesson.number)),
      `→ a hint for step ${failing.step}: ${hintCommand(lesson.number, failing.step)}`,
    ].join('\n');
  }
  const problem = describeFailure(run);
  if (problem) return red(problem, colour);
  const passed = run.outcomes.filter((test) => test.outcome === 'passed').length;
  return `${green(`✔ lesson ${lesson.number}: all ${passed} tests pass on your code.`, colour)} ${nextLessonLine(lesson)}`;
}

/** A run that failed with no step failing: a test named for no step, or tests that did not run at all. */
export function describeFailure(run: TestRun): string | undefined {
  const [outside] = failuresOutsideSteps(run.outcomes);
  if (outside) return `✖ lesson ${run.lesson.number}: ${outside.name}\n${indent(shortMessage(outside, run.lesson.number))}`;
  if (run.exitCode !== 0 || run.outcomes.length === 0) {
    const tail = run.output.trim().split('\n').slice(-MESSAGE_LINES).join('\n');
    return `✖ lesson ${run.lesson.number}: the tests did not run to the end (exit code ${run.exitCode}):\n${indent(tail)}`;
  }
  return undefined;
}

/** What to do once a lesson passes. */
export function nextLessonLine(lesson: Lesson): string {
  const next = listLessons().find((each) => each.number > lesson.number);
  if (!next) return 'That was the last lesson: see how far you are with npm run progress.';
  return `Next: lesson ${next.number}, ${next.title} (${path.join(next.lessonDir, 'README.md')}): npm run watch ${next.number}`;
}

// The full output is one command away, and the cut says which.
function shortMessage(test: TestOutcome, lesson: number): string {
  const lines = withoutStackTraces((test.message ?? '').trim().split('\n'));
  const kept = lines.slice(0, MESSAGE_LINES);
  if (lines.length > MESSAGE_LINES) kept.push(`… (${lines.length - MESSAGE_LINES} more lines: npm test -- lesson-${lesson} --mine shows them all)`);
  return kept.join('\n');
}

/**
 * A worker's output in a message carries Node's report of the error: the
 * source line with a caret, then the stack. The learner needs the error's
 * own line (a stub's "TODO lesson 1, step 4: ..."), not where todo() lives.
 */
export function withoutStackTraces(lines: string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    // "/path/file.ts:8" then the source line, then "  ^": Node's excerpt of where it threw.
    if (/^\S+\.[cm]?[jt]s:\d+$/.test(line) && /^\s*\^+\s*$/.test(lines[index + 2] ?? '')) {
      index += 2;
      continue;
    }
    // Stack frames, and the version line Node prints after an uncaught error.
    if (/^\s+at\s/.test(line) || /^Node\.js v\d+\.\d+\.\d+$/.test(line)) continue;
    // Blank lines: one at most in a row, and none at the start.
    if (line.trim() === '' && (kept.length === 0 || kept[kept.length - 1].trim() === '')) continue;
    kept.push(line);
  }
  while (kept.length && kept[kept.length - 1].trim() === '') kept.pop();
  return kept;
}

/** "step 2-4: the demo …" → "the demo …": the line already names the step. */
const withoutStep = (name: string) => name.replace(/^step \d+(?:-\d+)?:\s*/, '');
const indent = (text: string) => text.split('\n').map((line) => (line ? `  ${line}` : '')).join('\n');
const red = (text: string, colour: boolean) => (colour ? `\x1b[31m${text}\x1b[39m` : text);
const green = (text: string, colour: boolean) => (colour ? `\x1b[32m${text}\x1b[39m` : text);
