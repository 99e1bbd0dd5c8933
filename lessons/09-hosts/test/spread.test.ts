// Step 1: one address in front, many hosts behind it, many workers in each.
import assert from 'node:assert/strict';
import { guardedTest } from '../../../testing/guard';
import { describeRun, needsNginx, perHost, withFarm } from './kit';

const HOSTS = 3;
const WORKERS = 2;
const REQUESTS = 36;

guardedTest(
  'step 1: through nginx every host answers, and on every host every worker (the host × worker table)',
  { timeout: 120_000, skip: needsNginx() },
  async () => {
    // Without keep-alive to the hosts (step 2), each request reaches its host on a
    // connection of its own, which the host's cluster gives to its next worker.
    await withFarm({ hosts: HOSTS, workers: WORKERS, balancer: { keepAlive: false } }, async (farm, parts) => {
      const outcomes = await parts.load.sendLoad({ url: farm.url, requests: REQUESTS, concurrency: 1 });
      const run = describeRun(parts, outcomes);
      assert.equal(parts.load.tally(outcomes).failed, 0, `step 1: every request should get an answer${run}`);
      const hosts = perHost(outcomes);
      assert.deepEqual([...hosts.keys()].sort(), ['host1', 'host2', 'host3'], `step 1: nginx should send requests to every host${run}`);
      for (const [host, count] of hosts) {
        // nginx's round-robin, one request at a time: a third each.
        assert.ok(count >= REQUESTS / HOSTS / 2, `step 1: ${host} should answer about a third of the requests, answered ${count}${run}`);
        const workers = new Set(outcomes.filter((outcome) => outcome.host === host).map((outcome) => outcome.worker));
        assert.equal(workers.size, WORKERS, `step 1: on ${host}, every worker should answer (the cluster's round-robin)${run}`);
      }
    });
  },
);
