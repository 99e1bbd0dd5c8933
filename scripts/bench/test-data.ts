// Made-up bench readings for the tests: round numbers, so every figure the
// report shows can be worked out by hand.
import type { ClusterKind } from './options';
import type { LoadResult } from './load';
import { planConfigurations, planServers, type ConfigurationPlan } from './plan';
import { buildResults, type BenchResults, type Measurement, type RunInfo, type ServerReadings } from './results';
import type { ServingCounts, StatsReply } from './server';

export const RUN_INFO: RunInfo = {
  createdAt: '2025-01-02T03:04:05.000Z',
  quick: false,
  elapsedSeconds: 100,
  machine: { cpus: 2, cpuModel: 'Test CPU', node: 'v20.0.0', platform: 'linux x64', loadAverageAtStart: 0.5, duringRounds: { othersPercent: 1, stealPercent: 0 } },
  settings: { workers: [2], rounds: 2, durationSeconds: 1, warmupSeconds: 0.5, connectionsPerLoad: 10, clusters: ['single', 'node', 'ours'], oursTarget: 'solutions/06-measure' },
  notes: ['a note & a <sign>'],
};

export function stats(cpuMicros: number, workers: Array<[requests: number, connections: number]>, heapUsed = 5_000_000): StatsReply {
  const serving: ServingCounts[] = workers.map(([requests, connections], index) => ({
    id: workers.length === 1 ? 0 : index + 1,
    pid: 1000 + index,
    requests,
    connections,
    cpu: { user: requests * 50, system: 0 },
  }));
  return {
    id: 1,
    cpu: { user: cpuMicros, system: 0 },
    memory: { rss: 50_000_000, heapTotal: 10_000_000, heapUsed, external: 0, arrayBuffers: 0 },
    workers: serving,
  };
}

export function load(responses: number, p99Ms: number, seconds = 1): LoadResult {
  return { responses, sent: responses, seconds, requestsPerSecond: responses / seconds, p99Ms, errors: 0, loadGeneratorCpuPercent: 90 };
}

/**
 * A run of single + node + ours with 2 workers, 2 rounds. On fresh
 * connections, node's round-robin primary spends 30 µs per connection and
 * ours 24 µs; node serves 1000 requests a round, ours 1100 and 1050.
 */
const ALL_POLICIES = ['rr', 'none', 'reuseport'] as const;

export function syntheticRun(kinds: ClusterKind[] = ['single', 'node', 'ours']): {
  configurations: ConfigurationPlan[];
  results: BenchResults;
} {
  // Every policy, whatever the Node running the tests has.
  const configurations = planConfigurations(planServers(kinds, [2], undefined, ALL_POLICIES));
  const measurements: Measurement[] = [];
  for (const configuration of configurations) {
    for (const round of [1, 2]) {
      measurements.push(measurementFor(configuration, round));
    }
  }
  const servers: ServerReadings[] = planServers(kinds, [2], undefined, ALL_POLICIES).map((server) => ({
    server,
    first: stats(0, server.workers === 1 ? [[0, 0]] : [[0, 0], [0, 0]], 5_000_000),
    last: stats(0, server.workers === 1 ? [[4000, 4000]] : [[2000, 2000], [2000, 2000]], 5_100_000),
  }));
  return { configurations, results: buildResults(RUN_INFO, configurations, measurements, servers) };
}

function measurementFor(configuration: ConfigurationPlan, round: number): Measurement {
  const { server, mode } = configuration;
  const fresh = mode === 'fresh';
  const base = round * 100_000; // counters keep growing from round to round
  if (server.cluster === 'single') {
    const requests = 2000;
    return {
      configuration,
      round,
      load: load(requests, 2),
      before: stats(base, [[base, base]]),
      after: stats(base + requests * 100, [[base + requests, base + (fresh ? requests : 10)]]),
    };
  }
  const ours = server.cluster === 'ours';
  // ours: 1100 then 1050 requests; node: 1000 each round. Split 50/50 except node none (60/40).
  const requests = ours ? (round === 1 ? 1100 : 1050) : 1000;
  const share = server.policy === 'none' && !ours ? 0.6 : 0.5;
  const first = Math.round(requests * share);
  const second = requests - first;
  const cpuPerConnection = server.policy === 'rr' ? (ours ? 24 : 30) : 1;
  const connections = fresh ? requests : 10;
  const cpu = fresh ? cpuPerConnection * connections : 500;
  return {
    configuration,
    round,
    load: load(requests, ours ? 4 : 5),
    before: stats(base, [
      [base, base],
      [base, base],
    ]),
    after: stats(base + cpu, [
      [base + first, base + (fresh ? first : 5)],
      [base + second, base + (fresh ? second : 5)],
    ]),
  };
}
