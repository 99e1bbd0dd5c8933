// The words of the tools' command lines that name the course's parts: a
// lesson, a step, the target (--mine, --node), checked against the course.
// Bad input ends in one message that says what is accepted, exit status 2,
// before the tool has touched anything (see command-line.ts).
import { exitWithUsage, findLesson, lessonMenu, type Lesson, type TargetKind } from '../course';
import { readSteps, stepsFileOf, type Step } from '../steps/plan';
import { commandLineOrExit, type CommandLine, type OptionSpecs } from './command-line';

/**
 * Reads `args` (process.argv after the script) with the given options and at
 * most `maxPositionals` words; anything else is a usage error.
 */
export function parseCommandLine<T extends OptionSpecs>(args: string[], options: T, maxPositionals: number, usage: string): CommandLine<T> {
  const line = commandLineOrExit(args, options, usage);
  if (line.positionals.length > maxPositionals) {
    exitWithUsage(`Too many arguments: ${line.positionals.join(' ')}.`, usage);
  }
  return line;
}

/** The flags that choose the code a lesson runs on: its solution (neither), --mine or --node. */
export const TARGET_FLAGS = { mine: { type: 'boolean' }, node: { type: 'boolean' } } as const;

/** The kind of target --mine or --node chose; undefined for neither. */
export function targetKindFrom(values: { mine?: boolean; node?: boolean }, usage: string): TargetKind | undefined {
  if (values.mine && values.node) exitWithUsage('Choose one of --mine and --node.', usage);
  return values.mine ? 'mine' : values.node ? 'node' : undefined;
}

/** The one lesson the words name, undefined when they name none; a usage error for two. */
export function atMostOneLesson(words: string[], usage: string): Lesson | undefined {
  if (words.length === 0) return undefined;
  const lesson = lessonFromWord(words[0], usage);
  if (words.length > 1) exitWithUsage(`One lesson at a time: got ${lesson.number} and ${words[1]}.`, usage);
  return lesson;
}

/** The lesson a word names ("4", "04", "lesson-4"), or a usage error listing the lessons. */
export function lessonFromWord(word: string | undefined, usage: string): Lesson {
  if (word === undefined) return exitWithUsage('Which lesson? Give its number.', usage);
  return findLesson(word) ?? exitWithUsage(`There is no lesson ${JSON.stringify(word)}.`, usage);
}

/** The lessons, listed the way every "which lesson?" message lists them. */
export const LESSON_MENU = () => `lessons:\n${lessonMenu()}`;

/**
 * The step a word names, checked against the lesson's steps.md. A lesson
 * whose steps.md is not written yet has no steps to name: that is said
 * plainly (exit 2, as for any step that does not exist).
 */
export function stepFromWord(lesson: Lesson, word: string, usage: string): Step {
  const steps = readSteps(lesson);
  if (steps.length === 0) {
    exitWithUsage(`Lesson ${lesson.number} has no steps yet (${stepsFileOf(lesson)} is not written), so it has no step ${word}.`, usage);
  }
  const number = /^\d+$/.test(word) ? Number(word) : NaN;
  const step = steps.find((each) => each.number === number);
  if (!step) {
    exitWithUsage(`Lesson ${lesson.number} has no step ${JSON.stringify(word)}: its steps are 1 to ${steps.length}.\n${stepMenu(steps)}`, usage);
  }
  return step;
}

/** "  1  Tell a worker from the primary" for each step. */
export function stepMenu(steps: Step[]): string {
  return steps.map((step) => `  ${String(step.number).padStart(2)}  ${step.title}`).join('\n');
}
