// `npm run watch 4`: lesson 4's tests on your code now, and again each time you
// save a file in lessons/04-*/cluster/. It shows only the first failing step,
// its message and the hint command, or a green line and the next lesson.
// Ctrl-C stops it, and every process a run started.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, targetFor } from './course';
import type { TestRun } from './lesson-tests';
import { readSteps } from './steps/plan';
import { starterFolderOf } from './steps/starter';
import { LESSON_MENU, lessonFromWord, parseCommandLine } from './tools/arguments';
import { summarizeRun } from './tools/run-summary';
import { startTestRun } from './tools/test-run-process';
import { watchLoop } from './tools/watch-loop';

const USAGE = () => `usage: npm run watch <lesson>

  Runs the lesson's tests on your code (lessons/NN-topic/cluster/), then again each time you save a file there.
  Shows the first failing step and how to ask for a hint. Ctrl-C to stop.

${LESSON_MENU()}`;

function main(): void {
  const { positionals } = parseCommandLine(process.argv.slice(2), {}, 1, USAGE());
  const lesson = lessonFromWord(positionals[0], USAGE());
  const folder = starterFolderOf(lesson);
  if (!fs.existsSync(path.join(repoRoot, folder))) {
    console.error(`${folder}/ is missing, so there is nothing to watch. Put the starter back with: npm run reset ${lesson.number}`);
    process.exit(1);
  }
  const colour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const target = targetFor(lesson, 'mine');
  // Read each time: steps.md may change while the learner works (a new checkout).
  const stepCount = () => readSteps(lesson).length;

  console.log(`Watching ${folder}/: lesson ${lesson.number}'s tests run on ${target.description} now and after each save. Ctrl-C to stop.`);
  const loop = watchLoop<TestRun>({
    folder: path.join(repoRoot, folder),
    start: () => startTestRun(lesson),
    onStart: (reason) => console.log(`\n[${new Date().toTimeString().slice(0, 8)}] ${reason === 'start' ? '' : `${reason}: `}running lesson ${lesson.number}'s tests…`),
    onResult: (run) => console.log(summarizeRun(run, stepCount(), colour)),
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return; // a second Ctrl-C while the run's processes end: they are being stopped already
    stopping = true;
    await loop.close();
    console.log('\nStopped watching.');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
}

main();
