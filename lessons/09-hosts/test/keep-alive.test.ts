// Step 2: where the cluster stops and the balancer starts. nginx balances
// requests; a host's cluster balances connections. With keep-alive to the
// hosts, nginx sends many requests down one connection, and the cluster,
// which only sees the connection, never gets to choose again.
import assert from 'node:assert/strict';
import { guardedTest } from '../../../testing/guard';
import { assertTheStepChangesTheConfiguration, describeRun, needsNginx, perHost, withFarm } from './kit';
import { loadParts } from '../parts';

const REQUESTS = 36;

guardedTest(
  'step 2: with keep-alive, nginx reuses its connections to the hosts: still an even share of the requests per host, on a few connections',
  { timeout: 120_000, skip: needsNginx() },
  async () => {
    assertTheStepChangesTheConfiguration(
      loadParts(),
      { options: { keepAlive: true } },
      { options: { keepAlive: false } },
      'step 2: with keep-alive on, the configuration is the one without it: nginx would open a new connection to a host for every request',
    );
    await withFarm({ hosts: 2, workers: 2, balancer: { keepAlive: true } }, async (farm, parts) => {
      const connectionsFor = (outcomes: { connection?: string }[]) => new Set(outcomes.map((outcome) => outcome.connection)).size;

      const kept = await parts.load.sendLoad({ url: farm.url, requests: REQUESTS, concurrency: 1 });
      const run = describeRun(parts, kept);
      assert.equal(parts.load.tally(kept).failed, 0, `step 2: every request should get an answer${run}`);
      const connections = connectionsFor(kept);
      assert.ok(
        connections <= REQUESTS / 4,
        `step 2: with keep-alive to the hosts, nginx should send many requests on each connection it opened: ` +
          `${REQUESTS} requests, one at a time, came on ${connections} connections${run}`,
      );
      for (const [host, count] of perHost(kept)) {
        assert.ok(count >= REQUESTS / 4, `step 2: nginx still chooses a host per request: ${host} answered ${count} of ${REQUESTS}${run}`);
      }

      // The same without keep-alive: a connection per request, as in step 1.
      await farm.configure({ keepAlive: false });
      const fresh = await parts.load.sendLoad({ url: farm.url, requests: REQUESTS, concurrency: 1 });
      assert.equal(connectionsFor(fresh), REQUESTS, `step 2: without keep-alive, each request should come on a connection of its own${describeRun(parts, fresh)}`);
    });
  },
);
