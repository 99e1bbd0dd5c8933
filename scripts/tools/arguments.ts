// The command line of the learner's tools (hint, watch, progress, reset):
// node:util's parseArgs, then the lesson and step numbers checked against the
// course. Bad input ends in one message that says what is accepted, exit
// status 2, before the tool has touched anything.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { exitWithUsage, findLesson, lessonMenu, type Lesson } from '../course';
import { readSteps, stepsFileOf, type Step } from '../steps/plan';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedCommandLine<T extends Options> {
  values: { [name in keyof T]?: T[name]['type'] extends 'boolean' ? boolean : string };
  positionals: string[];
}

/**
 * Parses `args` (process.argv after the script) with the given options and at
 * most `maxPositionals` words; anything else is a usage error.
 */
export function parseCommandLine<T extends Options>(
  args: string[],
  options: T,
  maxPositionals: number,
  usage: string,
): ParsedCommandLine<T> {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    // parseArgs's own words name the flag: "Unknown option '--foo'".
    return exitWithUsage(firstSentence((error as Error).message), usage);
  }
  if (parsed.positionals.length > maxPositionals) {
    exitWithUsage(`Too many arguments: ${parsed.positionals.join(' ')}.`, usage);
  }
  return parsed as unknown as ParsedCommandLine<T>;
}

/** parseArgs appends advice about "--" that does not apply behind npm run: keep its first sentence. */
function firstSentence(message: string): string {
  return message.split(/\.\s/)[0].replace(/\.?$/, '.');
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
