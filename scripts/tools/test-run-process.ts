// One run of a lesson's tests on the learner's code, in a process group of its
// own, so that the tool that started it can stop it whole: the test runner,
// the programs the tests start, and every worker they fork. `npm run watch`
// stops a run this way when a newer save makes it stale, and on Ctrl-C.
//
// The child side (this file run as a script) runs the tests and sends the
// outcome back over the IPC channel.
import { fork } from 'node:child_process';
import { findLesson, targetFor, TYPESCRIPT_LOADER, type Lesson } from '../course';
import { runLessonTests, type TestRun } from '../lesson-tests';
import { stopGroup } from './process-group';

export interface TestRunProcess {
  /** the run, or undefined when it was stopped before it ended */
  result: Promise<TestRun | undefined>;
  /** ends the run and every process in its group; resolves once none is left (safe to call again) */
  stop(): Promise<void>;
}

/** How long the run's processes get to end on SIGTERM before they are killed. */
const GRACE_MS = 1500;

export function startTestRun(lesson: Lesson): TestRunProcess {
  const child = fork(__filename, [String(lesson.number)], {
    execArgv: TYPESCRIPT_LOADER,
    // Its own process group: a signal to -pid reaches the whole tree at once.
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const result = new Promise<TestRun | undefined>((resolve) => {
    let received: TestRun | undefined;
    child.on('message', (message) => (received = { ...(message as TestRun), lesson }));
    child.on('exit', () => resolve(received));
    child.on('error', () => resolve(undefined));
  });
  let stopping: Promise<void> | undefined;
  return { result, stop: () => (stopping ??= stopGroup(child.pid, GRACE_MS)) };
}


async function runAsChild(): Promise<void> {
  // Stopped (a newer save, Ctrl-C): exit through process.exit(), so that the run's results file goes too.
  process.once('SIGTERM', () => process.exit(143));
  const lesson = findLesson(process.argv[2] ?? '');
  if (!lesson) throw new Error(`no lesson ${process.argv[2]}`);
  const run = await runLessonTests(lesson, targetFor(lesson, 'mine'), false);
  // The lesson is sent back as its number only; the parent has the rest.
  process.send!({ ...run, lesson: undefined }, () => process.disconnect());
}

if (require.main === module) runAsChild();
