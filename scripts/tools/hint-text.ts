// What `npm run hint L S` prints for a step: the next level (or every level),
// with a line saying how to get more; the level reached is recorded.
import type { Lesson } from '../course';
import type { Step } from '../steps/plan';
import { hintCommand } from './hint-line';
import { HINT_LEVELS, LAST_LEVEL, levelReached, recordLevel } from './hint-levels';
import { formatReference, referenceRegions } from './reference-code';

export interface HintOptions {
  /** every level at once */
  all?: boolean;
  colour?: boolean;
}

/** The text of the next level of the step's hint (of all three with `all`); records the level reached in `levelFile`. */
export function nextHint(lesson: Lesson, step: Step, levelFile: string, options: HintOptions = {}): string {
  const shownBefore = levelReached(levelFile, lesson.number, step.number);
  const upTo = options.all ? LAST_LEVEL : Math.min(shownBefore + 1, LAST_LEVEL);
  const from = options.all ? 1 : upTo;
  const parts = [`Lesson ${lesson.number}, step ${step.number}: ${step.title}`];
  for (let level = from; level <= upTo; level++) parts.push(levelText(lesson, step, level, options.colour ?? false));
  const command = hintCommand(lesson.number, step.number);
  parts.push(
    upTo < LAST_LEVEL
      ? `Still stuck? Ask again for level ${upTo + 1} (${HINT_LEVELS[upTo]}): ${command}`
      : `That was the last level. To start this step's hints over: ${command} -- --reset`,
  );
  recordLevel(levelFile, lesson.number, step.number, upTo);
  return parts.join('\n\n');
}

/** One level of the hint, with its heading. */
function levelText(lesson: Lesson, step: Step, level: number, colour: boolean): string {
  const heading = `── hint ${level} of ${LAST_LEVEL}: ${HINT_LEVELS[level - 1]} ──`;
  if (level === 1) return `${heading}\n${step.idea}`;
  if (level === 2) return `${heading}\n${step.whereToLook}`;
  const regions = referenceRegions(lesson, step.number);
  if (regions.length === 0) return `${heading}\n(no code is marked for this step in ${lesson.solutionDir}: see the lesson's page)`;
  const places = regions.length === 1 ? 'one place' : `${regions.length} places`;
  return `${heading}\nThe reference for step ${step.number} only, in ${places}:\n\n${formatReference(regions, lesson.solutionDir, colour)}`;
}
