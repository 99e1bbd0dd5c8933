// Step 3: a host dies. nginx learns it only from the requests it sends there
// (a passive health check): a connection refused, or no answer in time. What
// happens to those requests is the retry policy's choice.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { guardedTest } from '../../../testing/guard';
import type { Outcome } from '../../../solutions/09-hosts/load';
import { assertTheStepChangesTheConfiguration, describeRun, needsNamespaces, needsNginx, withFarm } from './kit';
import { loadParts } from '../parts';

/** Retries on and off must write two configurations (the health check, the timeouts, the retries). */
function assertRetriesAreConfigured(): void {
  assertTheStepChangesTheConfiguration(
    loadParts(),
    { options: { retries: true } },
    { options: { retries: false } },
    "step 3: with retries on and with retries 0 the configuration is the same: nginx would keep its defaults (60 s to connect, 60 s for an answer, a failed request retried whatever you chose)",
  );
}

/** Load in the background, something done to the farm after `beforeMs`, then `afterMs` more of load. */
async function loadAround(
  load: typeof import('../../../solutions/09-hosts/load'),
  url: string,
  beforeMs: number,
  afterMs: number,
  event: () => Promise<void> | void,
  timeoutMs = 5000,
): Promise<{ outcomes: Outcome[]; eventAt: number }> {
  const running = load.startLoad({ url, requests: 5000, durationMs: 30_000, concurrency: 4, timeoutMs });
  await sleep(beforeMs);
  const eventAt = Date.now() - running.startedAt;
  await event();
  await sleep(afterMs);
  return { outcomes: await running.stop(), eventAt };
}

guardedTest(
  'step 3: a host is killed: with retries no request fails; with retries 0 the requests nginx sent it fail, then nginx stops sending it any',
  { timeout: 120_000, skip: needsNginx() },
  async () => {
    assertRetriesAreConfigured();
    await withFarm({ hosts: 3, workers: 1 }, async (farm, parts) => {
      const [host1, host2] = farm.hosts;

      const retried = await loadAround(parts.load, farm.url, 600, 1200, () => farm.killHost(host1));
      assert.equal(parts.load.tally(retried.outcomes).failed, 0, `step 3: with retries on, a host killed under load should cost no request${describeRun(parts, retried.outcomes)}`);

      await farm.configure({ retries: false });
      const lost = await loadAround(parts.load, farm.url, 600, 1200, () => farm.killHost(host2));
      const run = describeRun(parts, lost.outcomes);
      const failed = lost.outcomes.filter(parts.load.isFailure);
      assert.ok(
        failed.length > 0,
        `step 3: with retries 0, the requests nginx sends to a host it does not yet know is dead should fail (502): none did, so nginx retried them elsewhere${run}`,
      );
      // After the first failure nginx leaves the host alone (max_fails, fail_timeout): the later requests all succeed.
      const lastFailure = Math.max(...failed.map((outcome) => outcome.startedAt));
      const later = lost.outcomes.filter((outcome) => outcome.startedAt > lastFailure + 200);
      assert.ok(later.length > 0 && later.every((outcome) => outcome.host === 'host3'), `step 3: once host2 has failed, nginx should send everything to host3${run}`);
    });
  },
);

guardedTest(
  "step 3: a host's link goes down: nginx gives up on it after its connect and read timeouts and retries elsewhere: no request fails",
  { timeout: 120_000, skip: needsNamespaces() },
  async () => {
    assertRetriesAreConfigured();
    await withFarm({ hosts: 3, workers: 1 }, async (farm, parts) => {
      // The client waits up to 10 s for an answer: nginx's defaults (60 s to
      // connect, 60 s to read) would hold a request to the silent host longer.
      const { outcomes, eventAt } = await loadAround(parts.load, farm.url, 600, 4500, () => farm.linkDown(farm.hosts[1]), 10_000);
      const run = describeRun(parts, outcomes);
      assert.equal(parts.load.tally(outcomes).failed, 0, `step 3: every request should be answered, by another host if host2 is silent${run}`);
      const fromHost2 = outcomes.filter((outcome) => outcome.host === 'host2' && outcome.startedAt > eventAt + 50);
      assert.equal(fromHost2.length, 0, `step 3: a host whose link is down cannot answer${run}`);
    });
  },
);
