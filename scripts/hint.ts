// `npm run hint 4`              a hint for the next step of lesson 4 your code does not pass yet
// `npm run hint 4 3`            a hint for lesson 4, step 3
// `npm run hint 4 3 -- --all`   every level at once
// `npm run hint 4 3 -- --reset` forget the levels shown (the next hint starts again from the idea)
//
// Three levels per step, one more each time you ask: (1) the idea: what node
// does and why; (2) where to look: the public API and the function of Node's
// lib/internal/cluster/ to compare with; (3) the reference code of that step
// only. The levels are written in lessons/NN-topic/steps.md (1 and 2) and cut
// from the solution's `#step` regions (3); the level reached is kept in
// .progress/hints.json (git-ignored).
import { exitWithUsage, targetFor, type Lesson } from './course';
import { runLessonTests } from './lesson-tests';
import { readSteps, stepsFileOf, type Step } from './steps/plan';
import { LESSON_MENU, lessonFromWord, parseCommandLine, stepFromWord } from './tools/arguments';
import { forgetLevels, levelFile } from './tools/hint-levels';
import { nextHint } from './tools/hint-text';
import { describeFailure, nextLessonLine } from './tools/run-summary';
import { firstFailingStep, stepReports } from './tools/step-status';

const USAGE = () => `usage: npm run hint <lesson> [<step>] [-- --all | --reset]

  <lesson>        a hint for the first step of that lesson your code does not pass yet (runs its tests on your code)
  <lesson> <step> a hint for that step
  --all           every level at once: the idea, where to look, the reference code
  --reset         forget the levels shown for that step (for every step of the lesson, without <step>)

Each time you ask for the same step you get one level more: 1 the idea, 2 where to look, 3 the reference code.

${LESSON_MENU()}`;

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine(
    process.argv.slice(2),
    { all: { type: 'boolean' }, reset: { type: 'boolean' } },
    2,
    USAGE(),
  );
  if (values.all && values.reset) exitWithUsage('--all and --reset do not go together.', USAGE());
  const lesson = lessonFromWord(positionals[0], USAGE());
  const chosen = positionals[1] === undefined ? undefined : stepFromWord(lesson, positionals[1], USAGE());
  const file = levelFile();

  if (values.reset) {
    const forgotten = forgetLevels(file, lesson.number, chosen?.number);
    const which = chosen ? `lesson ${lesson.number}, step ${chosen.number}` : `every step of lesson ${lesson.number}`;
    console.log(forgotten ? `Forgot the hints shown for ${which}: the next hint starts again from the idea.` : `No hint of ${which} had been shown: nothing to forget.`);
    return;
  }
  const step = chosen ?? (await nextStepToWork(lesson));
  if (!step) return;

  const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  console.log(nextHint(lesson, step, file, { all: values.all, colour }));
}

/** Without a step: run the lesson's tests on the learner's code and take the first step that fails. */
async function nextStepToWork(lesson: Lesson): Promise<Step | undefined> {
  const steps = readSteps(lesson);
  if (steps.length === 0) {
    console.error(`Lesson ${lesson.number} has no hints yet: ${stepsFileOf(lesson)} is not written.`);
    process.exitCode = 1;
    return undefined;
  }
  const target = targetFor(lesson, 'mine');
  console.log(`Running lesson ${lesson.number}'s tests on ${target.description} to find your next step…`);
  const run = await runLessonTests(lesson, target, false);
  const failing = firstFailingStep(stepReports(run.outcomes, steps.length));
  if (!failing) {
    const problem = describeFailure(run);
    if (problem) {
      console.log(problem);
      process.exitCode = 1;
    } else {
      console.log(`✔ Every step of lesson ${lesson.number} passes on your code. ${nextLessonLine(lesson)}`);
    }
    return undefined;
  }
  const step = steps.find((each) => each.number === failing.step);
  if (!step) {
    console.error(`Step ${failing.step} fails, but ${stepsFileOf(lesson)} has no hints for it.`);
    process.exitCode = 1;
    return undefined;
  }
  console.log(`Your next step is step ${step.number} (the first with a failing test).\n`);
  return step;
}

main();
