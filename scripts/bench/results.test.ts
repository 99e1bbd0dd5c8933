// From readings to results: per-round figures, medians, ours/node ratios,
// memory, targets and the shape of bench.json, on made-up readings.
import assert from 'node:assert/strict';
import test from 'node:test';
import { hasReusePort, nodeCounterpart, orderForRound, planConfigurations, planServers, policiesFor } from './plan';
import { RESULTS_SCHEMA, roundResult } from './results';
import { load, stats, syntheticRun } from './test-data';

test('plan: node and ours side by side, both connection modes, one process once per mode', { timeout: 5000 }, () => {
  const keys = planConfigurations(planServers(['single', 'node', 'ours'], [2, 4], undefined, ['rr', 'none'])).map((c) => c.key);
  assert.deepEqual(keys.slice(0, 9), [
    'single/fresh',
    'node-rr-2/fresh',
    'ours-rr-2/fresh',
    'node-none-2/fresh',
    'ours-none-2/fresh',
    'node-rr-4/fresh',
    'ours-rr-4/fresh',
    'node-none-4/fresh',
    'ours-none-4/fresh',
  ]);
  assert.equal(keys.length, 18);
  assert.equal(keys.filter((key) => key.endsWith('/keep-alive')).length, 9);
  assert.deepEqual(
    planServers(['node'], [2], undefined, ['rr', 'none']).map((s) => s.key),
    ['node-rr-2', 'node-none-2'],
  );
  assert.deepEqual(
    planServers(['node', 'ours'], [2], undefined, ['rr', 'none', 'reuseport']).map((s) => s.label),
    [
      'node:cluster round-robin',
      'ours round-robin',
      'node:cluster SCHED_NONE',
      'ours shared handle',
      'node:cluster reusePort',
      'ours reusePort',
    ],
  );
});

test('reusePort rows only on a Node that has listen({ reusePort }): 22.12, 23.1 and later', { timeout: 5000 }, () => {
  for (const version of ['v20.20.2', 'v22.11.0', 'v23.0.0']) assert.equal(hasReusePort(version), false, version);
  for (const version of ['v22.12.0', 'v22.23.5', 'v23.1.0', 'v24.0.0', 'v26.12.1']) assert.equal(hasReusePort(version), true, version);
  assert.deepEqual(policiesFor('v20.20.2'), ['rr', 'none']);
  assert.deepEqual(policiesFor('v24.22.3'), ['rr', 'none', 'reuseport']);
});

test('rounds interleave: forward, backward, forward', { timeout: 5000 }, () => {
  assert.deepEqual(orderForRound(['A', 'B', 'C'], 0), ['A', 'B', 'C']);
  assert.deepEqual(orderForRound(['A', 'B', 'C'], 1), ['C', 'B', 'A']);
  assert.deepEqual(orderForRound(['A', 'B', 'C'], 2), ['A', 'B', 'C']);
});

test('one round: requests per worker, spread, primary CPU per connection', { timeout: 5000 }, () => {
  const [configuration] = planConfigurations(planServers(['node'], [2])); // node-rr-2/fresh
  const round = roundResult({
    configuration,
    round: 1,
    load: load(3000, 1.5, 0.5),
    before: stats(1_000, [[100, 100], [200, 200]]),
    after: stats(61_000, [[1_600, 1_600], [1_700, 1_700]]),
  });
  assert.deepEqual(round.perWorkerRequests, [1500, 1500]);
  assert.equal(round.connections, 3000);
  assert.equal(round.spread, 1);
  assert.equal(round.primaryCpuMicros, 60_000);
  assert.equal(round.primaryCpuMicrosPerConnection, 20);
  assert.equal(round.primaryCpuPercent, 12, '60 ms of CPU in 0.5 s is 12% of a core');
  assert.equal(round.requestsPerSecond, 6000);
  assert.equal(round.p99Ms, 1.5);
  // workers: 50 µs per request each in the made-up readings; plus the primary's 60 ms
  assert.equal(round.serverCpuMicrosPerRequest, (3000 * 50 + 60_000) / 3000);
});

test('configuration summaries: medians and ranges over the rounds', { timeout: 5000 }, () => {
  const { results } = syntheticRun();
  const oursRoundRobin = results.configurations.find((c) => c.key === 'ours-rr-2/fresh')!;
  assert.deepEqual(oursRoundRobin.summary.requestsPerSecond, { median: 1075, min: 1050, max: 1100 });
  assert.deepEqual(oursRoundRobin.summary.primaryCpuMicrosPerConnection, { median: 24, min: 24, max: 24 });
  assert.deepEqual(oursRoundRobin.summary.perWorkerRequests, [550 + 525, 550 + 525]);
  assert.deepEqual(oursRoundRobin.summary.perWorkerRequestsPerSecond, [537.5, 537.5]);
  assert.deepEqual(oursRoundRobin.summary.spread, { median: 1, min: 1, max: 1 });

  const nodeShared = results.configurations.find((c) => c.key === 'node-none-2/fresh')!;
  assert.deepEqual(nodeShared.summary.perWorkerRequests, [1200, 800]);
  assert.equal(nodeShared.summary.spread.median, 1.5);

  const single = results.configurations.find((c) => c.key === 'single/keep-alive')!;
  assert.equal(single.workers, 1);
  assert.deepEqual(single.summary.perWorkerRequests, [4000]);
});

test('ours/node ratios are taken round by round, then summarized', { timeout: 5000 }, () => {
  const { results } = syntheticRun();
  const roundRobinFresh = results.ratios.find((r) => r.policy === 'rr' && r.mode === 'fresh' && r.workers === 2)!;
  assert.equal(roundRobinFresh.ours, 'ours-rr-2/fresh');
  assert.equal(roundRobinFresh.node, 'node-rr-2/fresh');
  assertClose(roundRobinFresh.rounds.map((r) => r.requestsPerSecond!), [1.1, 1.05]);
  const { requestsPerSecond, primaryCpuMicrosPerConnection, p99Ms } = roundRobinFresh.summary;
  assertClose([requestsPerSecond!.median, requestsPerSecond!.min, requestsPerSecond!.max], [1.075, 1.05, 1.1]);
  assertClose([primaryCpuMicrosPerConnection!.median, p99Ms!.median], [0.8, 0.8], 'ours 24 µs / node 30 µs; 4 ms / 5 ms');
  assert.equal(results.ratios.length, 6, 'rr, none and reuseport, fresh and keep-alive, 2 workers');
  assert.equal(syntheticRun(['single', 'node']).results.ratios.length, 0, 'no ours, no ratios');
});

test('memory: the primary before and after, and growth per 10k connections', { timeout: 5000 }, () => {
  const { results } = syntheticRun();
  const server = results.servers.find((s) => s.key === 'node-rr-2')!;
  assert.deepEqual(server.memoryBefore, { rss: 50_000_000, heapUsed: 5_000_000 });
  assert.deepEqual(server.memoryAfter, { rss: 50_000_000, heapUsed: 5_100_000 });
  assert.equal(server.connections, 4000);
  assert.equal(server.heapGrowthPer10kConnections, 250_000);
});

test('targets: measured against the goals of issue 17, never thrown', { timeout: 5000 }, () => {
  const { results } = syntheticRun();
  const byName = (part: string) => results.targets.filter((t) => t.name.includes(part));
  assert.equal(byName('node:cluster round-robin, 2 workers: primary CPU')[0].met, null, 'for information');
  assert.match(byName('node:cluster round-robin, 2 workers: primary CPU')[0].measured, /^30\.0 µs/);
  assert.equal(byName('ours round-robin, 2 workers: primary CPU')[0].met, true);
  assert.equal(byName('ours round-robin, 2 workers: requests/s')[0].met, true);
  assert.equal(byName('ours shared handle, 2 workers: requests/s')[0].met, true);
  assert.match(byName('ours round-robin, 2 workers: primary CPU')[0].goal, /≤ 1\.20/);
  assert.match(byName('ours round-robin, 2 workers: requests/s')[0].goal, /≥ 0\.95/);
  // the same spread as node's in the synthetic run (50/50 both): at most node's, so met
  assert.equal(byName('spread of requests over workers (fresh)')[0].met, true);
  assert.equal(byName('spread of requests over workers (keep-alive)')[0].met, true);
  const withoutOurs = syntheticRun(['single', 'node']).results.targets;
  assert.ok(withoutOurs.some((t) => t.measured === 'ours was not run'));
});

test('bench.json: the shape the docs and the lesson page read', { timeout: 5000 }, () => {
  const { results } = syntheticRun();
  const json = JSON.parse(JSON.stringify(results));
  assert.equal(json.schema, RESULTS_SCHEMA);
  assert.deepEqual(Object.keys(json).sort(), [
    'configurations',
    'createdAt',
    'elapsedSeconds',
    'machine',
    'notes',
    'quick',
    'ratios',
    'schema',
    'servers',
    'settings',
    'targets',
  ]);
  const configuration = json.configurations[0];
  assert.deepEqual(Object.keys(configuration).sort(), ['cluster', 'key', 'label', 'mode', 'policy', 'rounds', 'server', 'summary', 'workers']);
  assert.deepEqual(Object.keys(configuration.summary).sort(), [
    'errors',
    'loadGeneratorCpuPercent',
    'p99Ms',
    'perWorkerRequests',
    'perWorkerRequestsPerSecond',
    'primaryCpuMicrosPerConnection',
    'primaryCpuPercent',
    'primaryCpuUserMicrosPerConnection',
    'requestsPerSecond',
    'serverCpuMicrosPerRequest',
    'spread',
  ]);
  assert.equal(configuration.rounds.length, 2);
  for (const key of ['median', 'min', 'max']) assert.equal(typeof configuration.summary.requestsPerSecond[key], 'number');
  assert.deepEqual(Object.keys(json.ratios[0].summary).sort(), ['p99Ms', 'primaryCpuMicrosPerConnection', 'requestsPerSecond']);
  assert.deepEqual(Object.keys(json.servers[0]).sort(), [
    'cluster',
    'connections',
    'heapGrowthPer10kConnections',
    'key',
    'label',
    'memoryAfter',
    'memoryBefore',
    'policy',
    'workers',
  ]);
});

test('an infinite spread (a worker served nothing) is null in bench.json', { timeout: 5000 }, () => {
  const [configuration] = planConfigurations(planServers(['node'], [2]));
  const round = roundResult({
    configuration,
    round: 1,
    load: load(10, 1),
    before: stats(0, [[0, 0], [0, 0]]),
    after: stats(100, [[10, 10], [0, 0]]),
  });
  assert.equal(round.spread, Infinity);
  assert.equal(JSON.parse(JSON.stringify(round)).spread, null);
});

function assertClose(actual: number[], expected: number[], message?: string): void {
  assert.equal(actual.length, expected.length, message);
  actual.forEach((value, index) =>
    assert.ok(Math.abs(value - expected[index]) < 1e-9, `${message ?? ''} [${index}]: ${value} is not ${expected[index]}`),
  );
}

test('the raw-handle experiment: round-robin only, named as such, compared with node like ours', { timeout: 5000 }, () => {
  const servers = planServers(['node', 'ours', 'raw'], [2], undefined, ['rr', 'none']);
  assert.deepEqual(
    servers.map((s) => s.key),
    ['node-rr-2', 'ours-rr-2', 'raw-rr-2', 'node-none-2', 'ours-none-2'],
  );
  const raw = servers.find((s) => s.cluster === 'raw')!;
  assert.equal(raw.label, 'ours, raw handle (internals)');
  assert.equal(raw.clusterTarget, 'bench-results/raw-handle-cluster');
  const configurations = planConfigurations(servers);
  const rawFresh = configurations.find((c) => c.key === 'raw-rr-2/fresh')!;
  assert.equal(nodeCounterpart(rawFresh, configurations)?.key, 'node-rr-2/fresh');
});
