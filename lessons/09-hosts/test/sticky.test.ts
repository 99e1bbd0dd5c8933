// Step 5: sticky sessions. nginx can read the request (a cookie) and keep a
// session on one host; the host's cluster sees only connections, so within
// the host the session goes to any worker.
import assert from 'node:assert/strict';
import { guardedTest } from '../../../testing/guard';
import { assertTheStepChangesTheConfiguration, describeRun, needsNginx, withFarm } from './kit';
import { loadParts } from '../parts';

const SESSIONS = 12;
const REQUESTS = SESSIONS * 4;

guardedTest(
  "step 5: sticky sessions: every request of a session goes to the same host, and there to any of the host's workers",
  { timeout: 120_000, skip: needsNginx() },
  async () => {
    assertTheStepChangesTheConfiguration(
      loadParts(),
      { options: { sticky: true } },
      { options: { sticky: false } },
      "step 5: with sticky sessions on, the configuration is the one without: nginx would spread a session's requests over every host",
    );
    await withFarm({ hosts: 3, workers: 2, balancer: { sticky: true, keepAlive: false } }, async (farm, parts) => {
      const outcomes = await parts.load.sendLoad({ url: farm.url, requests: REQUESTS, concurrency: 1, sessions: SESSIONS });
      const run = describeRun(parts, outcomes);
      assert.equal(parts.load.tally(outcomes).failed, 0, `step 5: every request should get an answer${run}`);
      const hostsOf = new Map<string, Set<string>>();
      const workersOf = new Map<string, Set<string>>();
      for (const outcome of outcomes) {
        hostsOf.set(outcome.session!, (hostsOf.get(outcome.session!) ?? new Set()).add(outcome.host!));
        workersOf.set(outcome.session!, (workersOf.get(outcome.session!) ?? new Set()).add(outcome.worker!));
      }
      const wandering = [...hostsOf].filter(([, hosts]) => hosts.size > 1).map(([session, hosts]) => `${session}: ${[...hosts].join(', ')}`);
      assert.deepEqual(wandering, [], `step 5: with sticky sessions, each session should stay on one host${run}`);
      assert.ok(new Set(outcomes.map((outcome) => outcome.host)).size > 1, `step 5: the sessions should still be spread over the hosts${run}`);
      assert.ok(
        [...workersOf.values()].some((workers) => workers.size > 1),
        `step 5: inside a host, the cluster cannot see the cookie: a session's requests should reach more than one worker${run}`,
      );
    });
  },
);
