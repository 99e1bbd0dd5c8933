// Step 1: options out of range are refused, with a message that names the
// option and what it may be, before anything is forked.
import assert from 'node:assert/strict';
import { guardedTest } from '../../../testing/guard';
import { describeOutput, runProgram } from '../../../testing/program';
import { loadCluster } from '../../../testing/target';
import { loadSupervisor } from '../supervisor-target';

const BAD: Array<[object, RegExp]> = [
  [{ workers: 0 }, /workers must be a whole number, 1 or more; got 0/],
  [{ workers: 2.5 }, /workers must be a whole number, 1 or more; got 2\.5/],
  [{ workers: 2, restartDelay: -1 }, /restartDelay must be a number of milliseconds, 0 or more; got -1/],
  [{ workers: 2, restartFactor: 0.5 }, /restartFactor must be a number, 1 or more.*; got 0\.5/],
  [{ workers: 2, restartDelay: 500, maxRestartDelay: 100 }, /maxRestartDelay must be a number of milliseconds, no less than restartDelay; got 100/],
  [{ workers: 2, maxRestarts: -3 }, /maxRestarts must be a whole number, 0 or more; got -3/],
  [{ workers: 2, restartWindow: 0 }, /restartWindow must be a number of milliseconds, more than 0; got 0/],
  [{ workers: 2, readyTimeout: -5 }, /readyTimeout must be a number of milliseconds, more than 0; got -5/],
  [{ workers: 2, drainTimeout: Number.NaN }, /drainTimeout must be a number of milliseconds, 0 or more; got NaN/],
  [{ workers: 2, memoryLimitMB: 0 }, /memoryLimitMB must be a number of megabytes, more than 0; got 0/],
];

guardedTest('step 1: an option out of range is refused with a message naming the option and what it may be', {}, async () => {
  const cluster = loadCluster();
  const { supervise } = loadSupervisor();
  for (const [options, message] of BAD) {
    assert.throws(
      () => supervise(cluster, options as { workers: number }),
      (error: Error) => message.test(error.message) && /^supervisor option /.test(error.message),
      `step 1: supervise(cluster, ${JSON.stringify(options)}) should throw an error whose message matches ${message}`,
    );
  }
  assert.deepEqual(Object.keys(cluster.workers ?? {}), [], 'step 1: a refused option must not fork any worker');
});

guardedTest('step 1: the demo refuses a bad option with its message and exit status 2, no stack trace', { timeout: 30_000 }, async () => {
  const result = await runProgram('lessons/08-resilience/demo.ts', { env: { WORKERS: '0' } });
  const said = result.stderr.trim();
  assert.equal(result.code, 2, `step 1: WORKERS=0 should end the demo with status 2${describeOutput(result)}`);
  assert.match(said, /supervisor option workers must be a whole number, 1 or more; got 0/, `step 1: the demo should say which option is wrong${describeOutput(result)}`);
  assert.doesNotMatch(said, /\n\s+at /, `step 1: the message, not a stack trace${describeOutput(result)}`);
});
