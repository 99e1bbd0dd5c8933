// `npm run progress`              where you are in the course: each lesson's tests on your code, as a table of steps
// `npm run progress 4`            lesson 4 only
// `npm run progress -- --stats`   per lesson: its stubs, and how many of the stage's new code lines you write
//
// A step is done when every test named for it passes on your code. The
// lessons run two at a time: the machine's cores are shared, and every test
// forks.
import { listLessons, targetFor, type Lesson } from './course';
import { inBatches, runLessonTests } from './lesson-tests';
import { readSteps } from './steps/plan';
import { LESSON_MENU, lessonFromWord, parseCommandLine } from './tools/arguments';
import { stageLines } from './tools/code-lines';
import { progressReport, shortTitle, type LessonProgress } from './tools/progress-table';
import { stepReports } from './tools/step-status';
import { formatTable } from './tools/table';

const USAGE = () => `usage: npm run progress [-- <lesson>] [--stats]

  (no lesson)   every lesson's tests on your code: which steps are done, and the next one
  <lesson>      that lesson only
  --stats       no tests: per lesson, the number of stubs and how many of the stage's new code lines you write

${LESSON_MENU()}`;

async function showProgress(lessons: Lesson[]): Promise<void> {
  const where = lessons.length === 1 ? targetFor(lessons[0], 'mine').description : 'your code (lessons/NN-topic/cluster)';
  console.log(`Running ${lessons.length === 1 ? `lesson ${lessons[0].number}'s tests` : `the tests of ${lessons.length} lessons, two at a time,`} on ${where}…\n`);
  const progress = await inBatches(
    lessons.map((lesson) => async (): Promise<LessonProgress> => {
      const run = await runLessonTests(lesson, targetFor(lesson, 'mine'), false);
      return { lesson, run, reports: stepReports(run.outcomes, readSteps(lesson).length) };
    }),
    2,
  );

  console.log(progressReport(progress));
}

function showStats(lessons: Lesson[]): void {
  const all = listLessons();
  const rows = lessons.map((lesson) => {
    const previous = all.filter((each) => each.number < lesson.number).at(-1);
    const { stubs, newCode, learnerWrites } = stageLines(lesson, previous);
    const share = newCode ? `${Math.round((100 * learnerWrites) / newCode)}%` : '–';
    return [`${String(lesson.number).padStart(2)} ${shortTitle(lesson)}`, String(readSteps(lesson).length), String(stubs), String(newCode), String(learnerWrites), share];
  });
  console.log('What you write in each lesson: the code lines (no comments, no blank lines) solution N adds to solution N-1,');
  console.log("and how many of them are inside the lesson's #step regions (the rest, types, wiring and imports, is given).\n");
  console.log(formatTable(['lesson', 'steps', 'stubs', 'new code lines', 'you write', 'share'], rows, ['left', 'right', 'right', 'right', 'right', 'right']));
}

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine(process.argv.slice(2), { stats: { type: 'boolean' } }, 1, USAGE());
  const lessons = positionals.length ? [lessonFromWord(positionals[0], USAGE())] : listLessons();
  if (values.stats) showStats(lessons);
  else await showProgress(lessons);
}

main();
