// Step 8: the memory limit.
import assert from 'node:assert/strict';
import { guardedTest } from '../../../testing/guard';
import { describeOutput } from '../../../testing/program';
import { Load, total, type Tally } from '../load';
import { endFixture, expectLine, startFixture, withOptions } from './helpers';

guardedTest('step 8: a worker above memoryLimitMB is replaced, new worker first, without failing a request', { timeout: 50_000 }, async () => {
  const options = { workers: 2, memoryLimitMB: 250, memoryCheckInterval: 200, env: { APP_LEAK_WORKER: '1', APP_LEAK_MB: '400' } };
  const fixture = await startFixture('supervised.ts', 8, withOptions(options));
  const load = new Load({ port: fixture.port, keepAlive: false, lanes: 2, pause: 10, maxRequests: 10_000, maxSeconds: 30 });
  let tallies = new Map<string, Tally>();
  try {
    await expectLine(fixture, /^supervisor: worker 1 \(slot 1\) uses \d+ MB, above the limit of 250 MB: replacing it$/, 8,
      'worker 1 holds 400 MB: the supervisor should notice it is above the limit (250 MB), and say so');
    await expectLine(fixture, /^ready: worker 3 in slot 1$/, 8, 'a new worker (3) should take slot 1');
    await expectLine(fixture, /^exit: worker 1, code 0, signal null, after disconnect: true$/, 8, 'worker 1 should then be drained');
  } finally {
    // The load stops whatever happens: a failed wait must not leave it sending.
    tallies = await load.stop();
  }
  const result = await endFixture(fixture, 'SIGTERM');
  const all = total(tallies.values());
  assert.equal(all.failed, 0, `step 8: replacing the worker should fail no request: ${JSON.stringify(all.errors)}${describeOutput(result)}`);
  assert.equal(result.lines.filter((line) => line.includes('above the limit')).length, 1, `step 8: only worker 1 was over the limit${describeOutput(result)}`);
});
