// Step 2: when a new worker counts as ready; step 3's first test: one that never is.
import assert from 'node:assert/strict';
import { guardedTest } from '../../../testing/guard';
import { assertBefore } from '../../../testing/lines';
import { describeOutput, runProgram } from '../../../testing/program';
import { endFixture, expectLine, startFixture } from './helpers';

guardedTest("step 2: with waitReady, a worker is ready when it sends 'ready', after it listens", { timeout: 30_000 }, async () => {
  const result = await runProgram('lessons/08-resilience/test/fixtures/readiness.ts');
  assert.equal(result.code, 0, `step 2: both workers should get ready, then leave${describeOutput(result)}`);
  for (const id of [1, 2]) {
    const ready = result.lines.find((line) => new RegExp(`^ready: worker ${id} in slot [12]$`).test(line));
    assert.ok(ready, `step 2: the supervisor should emit 'ready' for worker ${id}${describeOutput(result)}`);
    assertBefore(result, `worker ${id} listening`, `worker ${id} says ready`);
    assertBefore(result, `worker ${id} says ready`, ready);
  }
});

guardedTest('step 3: a worker not ready within readyTimeout is killed, counts as a failed start, and its slot starts again', { timeout: 40_000 }, async () => {
  const fixture = await startFixture('not-ready.ts', 3, {}, /^port \d+$/);
  await expectLine(fixture, /^supervisor: worker 1 \(slot 1\) was not ready within 1500 ms: killed, a failed start$/, 3,
    'worker 1 never says ready: after readyTimeout (1500 ms) the supervisor should kill it and say so');
  await expectLine(fixture, /^exit: worker 1, code null, signal SIGKILL, after disconnect: false$/, 3, 'worker 1 should be killed with SIGKILL');
  await expectLine(fixture, /^supervisor: worker 1 \(slot 1\) exited killed by SIGKILL; restarting the slot in 100 ms$/, 3,
    'a failed start is an exit like any other: the slot should be restarted after restartDelay');
  await expectLine(fixture, /^supervisor: worker 2 \(slot 1\) was not ready within 1500 ms: killed, a failed start$/, 3, 'worker 2 should fail the same way');
  await expectLine(fixture, /^supervisor: worker 2 \(slot 1\) exited killed by SIGKILL; restarting the slot in 150 ms$/, 3,
    'a second failed start in a row should wait restartFactor (1.5) times longer');
  await endFixture(fixture);
});
