// Lesson 7, step 4: the settings that shape a worker's process: silent and stdio.
import { guardedTest } from '../../../testing/guard';
import { assertPrinted, assertSucceeded, runFixture, TIMEOUT } from './helpers';

guardedTest(
  "step 4: setupPrimary({ stdio: [0, 1, 2, 'pipe', 'ipc'] }) gives the worker a pipe to the primary as fd 3; silent: true brings its stdout to the primary",
  { timeout: TIMEOUT },
  async () => {
    const [withPipe, quiet] = await Promise.all([runFixture('stdio.ts', { MODE: 'stdio' }), runFixture('stdio.ts', { MODE: 'silent' })]);
    const what =
      "step 4: in node:cluster setupPrimary()'s stdio setting is the worker's stdio as child_process.fork() takes it " +
      "(here: our stdin, stdout and stderr, then a pipe, then the IPC channel), and it wins over silent";
    assertPrinted(
      withPipe,
      [
        'the worker has 5 stdio channels; stdout is shared',
        'worker 1 says hello on stdout',
        'worker exit code: 0',
        'the primary read on its stdout: ""',
        'the primary read on fd 3: "worker 1 writes on fd 3"',
      ],
      what,
    );
    assertSucceeded(withPipe, what);
    const whatSilent = "step 4: in node:cluster silent: true pipes the worker's stdout and stderr to the primary instead of sharing them";
    assertPrinted(
      quiet,
      [
        'the worker has 4 stdio channels; stdout is a stream',
        'worker exit code: 0',
        'the primary read on its stdout: "worker 1 says hello on stdout"',
        'the primary read on fd 3: ""',
      ],
      whatSilent,
    );
    assertSucceeded(quiet, whatSilent);
  },
);
