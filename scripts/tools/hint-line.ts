// The last line under a failing test, for `npm test -- lesson-N --mine`:
//
//   → a hint for step 3: npm run hint 4 3
//
// The step is the one the failure names: a stub's message starts "TODO lesson
// 4, step 1: ..." (lessons/todo.ts), and that stub is what stopped the test,
// so it is the code to write first. Otherwise, the step the test is named for.
import { stepOfTest } from '../lesson-tests';

const TODO_STEP = /TODO lesson (\d+), step (\d+):/;

/** The step a failure points at: the stub it ran into, else the step its test proves. */
export function stepOfFailure(lesson: number, test: { name: string; message?: string }): { lesson: number; step: number } | undefined {
  const todo = TODO_STEP.exec(test.message ?? '');
  if (todo) return { lesson: Number(todo[1]), step: Number(todo[2]) };
  const step = stepOfTest(test.name);
  return step === undefined ? undefined : { lesson, step };
}

/** "→ a hint for step S: npm run hint N S", or undefined for a test that names no step. */
export function hintLine(lesson: number, test: { name: string; message?: string }): string | undefined {
  const found = stepOfFailure(lesson, test);
  if (!found) return undefined;
  const which = found.lesson === lesson ? `step ${found.step}` : `lesson ${found.lesson}, step ${found.step}`;
  return `→ a hint for ${which}: ${hintCommand(found.lesson, found.step)}`;
}

export const hintCommand = (lesson: number, step: number) => `npm run hint ${lesson} ${step}`;
