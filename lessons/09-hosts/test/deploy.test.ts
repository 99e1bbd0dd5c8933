// Step 4: a rolling deploy across the hosts, under load, with GETs and POSTs
// (nginx retries neither a POST, nor anything once the host has begun to
// answer): drained in nginx, reloaded, put back, one host at a time.
import assert from 'node:assert/strict';
import { guardedTest } from '../../../testing/guard';
import { assertTheStepChangesTheConfiguration, describeRun, needsNginx, withFarm } from './kit';
import { loadParts } from '../parts';

guardedTest(
  'step 4: a rolling deploy under load: each host drained, reloaded and put back in turn, and not one request fails',
  { timeout: 150_000, skip: needsNginx() },
  async () => {
    assertTheStepChangesTheConfiguration(
      loadParts(),
      { drained: true },
      { drained: false },
      'step 4: a drained host is written like any other: nginx would go on sending it requests during its reload',
    );
    await withFarm({ hosts: 3, workers: 1 }, async (farm, parts) => {
      const load = parts.load.startLoad({ url: farm.url, requests: 20_000, durationMs: 100_000, concurrency: 4, method: 'mixed' });
      const events: Array<{ at: number; line: string }> = [];
      await parts.deploy.rollingDeploy(farm, '2', (line) => events.push({ at: Date.now() - load.startedAt, line }));
      const outcomes = await load.stop();
      const run = `${describeRun(parts, outcomes)}\n${events.map((event) => `${event.at} ms: ${event.line}`).join('\n')}`;

      assert.equal(parts.load.tally(outcomes).failed, 0, `step 4: a rolling deploy should cost no request${run}`);
      for (const { host } of farm.hosts) {
        const drained = events.find((event) => event.line === `${host.name}: drained`);
        const back = events.find((event) => event.line === `${host.name}: back in rotation`);
        assert.ok(drained && back, `step 4: ${host.name} should be drained, then put back${run}`);
        const during = outcomes.filter((outcome) => outcome.host === host.name && outcome.startedAt > drained.at && outcome.endedAt < back.at - 1000);
        assert.equal(during.length, 0, `step 4: while ${host.name} is drained, nginx should send it no request${run}`);
      }
      const after = await parts.load.sendLoad({ url: farm.url, requests: 12, concurrency: 1 });
      assert.deepEqual(
        [...new Set(after.map((outcome) => `${outcome.host} version ${outcome.version}`))].sort(),
        ['host1 version 2', 'host2 version 2', 'host3 version 2'],
        `step 4: after the deploy every host should answer, with the new version${describeRun(parts, after)}`,
      );
    });
  },
);
