// One bench run, start to finish: start every server, warm them up, load
// every configuration in interleaved rounds, read the primaries' memory,
// stop the servers, check none is left, then report and write the files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderChart } from './chart';
import { runLoad, type ConnectionMode, type LoadResult } from './load';
import type { BenchOptions, ClusterKind } from './options';
import {
  orderForRound,
  planConfigurations,
  planServers,
  hasReusePort,
  policiesFor,
  type ConfigurationPlan,
  type ServerPlan,
} from './plan';
import { buildResults, type BenchResults, type Measurement, type ServerReadings } from './results';
import { processesInGroups, ServerProcess, stopAllServers } from './server-process';
import { otherLoad, readMachineCpu } from './machine';
import { countsBetween } from './stats';
import { buildRawHandleCluster } from './raw-handle/build';
import type { BreakdownResults } from './breakdown';
import { repoRoot } from '../repo-root';

export const RESULTS_DIR = path.join(repoRoot, 'bench-results');
export const PUBLISHED_CHART = path.join(repoRoot, 'docs', 'assets', 'bench-chart.svg');
/** The breakdown run's CPU profiles, one folder per primary (open them in Chrome DevTools). */
export const PROFILE_DIR = path.join(RESULTS_DIR, 'profiles');
/**
 * Clients working at once. Ten is autocannon's default; it matters for
 * keep-alive: ten long-lived connections cannot be split evenly over four
 * workers, and the chart shows what that does to round-robin.
 */
export const CONNECTIONS = 10;

/** Thrown when the run cannot start as asked (exit status 2, like a bad option). */
export class CannotRunError extends Error {}

/** The schedulingPolicy each server must report (reusePort workers run under the default, round-robin). */
const SCHED_NUMBERS = { none: 1, rr: 2, reuseport: 2 } as const;

export function clusterExists(folder: string): boolean {
  return fs.existsSync(path.join(repoRoot, folder, 'index.ts'));
}

export async function runBench(options: BenchOptions, say: (line: string) => void): Promise<BenchResults> {
  const startedAt = Date.now();
  const notes: string[] = [];
  const kinds = chooseClusters(options, notes);
  const cpus = os.cpus();
  const loadAtStart = os.loadavg()[0];
  if (cpus.length <= 2) {
    notes.push(
      `this machine has ${cpus.length} CPUs and the load generator keeps one of them busy, so every server ` +
        'process shares the other: no cluster can out-serve one process here. Compare clusters with each other.',
    );
  }
  notes.push(
    'on keep-alive, "primary CPU µs/conn" divides by the few connections a load opens: read it as the primary\'s idle cost.',
    'for "one process" the primary is the server: its CPU per connection includes answering the request.',
  );
  say(
    `bench: ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}); the load generator, ` +
      `autocannon in this process, takes one core${cpus.length <= 2 ? ': the servers share the other' : ''}. ` +
      `Load average now: ${loadAtStart.toFixed(1)}${loadAtStart > cpus.length ? ' (other jobs are running: expect noise)' : ''}.`,
  );

  if (!hasReusePort()) {
    notes.push(`Node ${process.version} has no listen({ reusePort }) (22.12 and later have it): no reusePort rows.`);
  }
  const available = policiesFor();
  const policies = options.policies ? options.policies.filter((policy) => available.includes(policy)) : available;
  if (options.policies && policies.length < options.policies.length) {
    notes.push(`--policies asked for reuseport, which Node ${process.version} does not have (22.12 and later do).`);
  }
  const serverPlans = planServers(kinds, options.workers, options.ours, policies);
  if (kinds.includes('ours')) say(`bench: "ours" is ${options.ours}`);
  const configurations = planConfigurations(serverPlans);
  try {
    const servers = await startServers(serverPlans, say);
    const groups = [...servers.values()].map((server) => server.pid);
    await warmUp(serverPlans, servers, options.warmup, say);
    const firstReadings = await readAll(serverPlans, servers);
    const machineBefore = readMachineCpu();
    const benchCpuBefore = process.cpuUsage();
    const measurements: Measurement[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const roundStart = Date.now();
      for (const configuration of orderForRound(configurations, round - 1)) {
        measurements.push(await measure(configuration, servers.get(configuration.server.key)!, round, options.duration));
      }
      say(`round ${round}/${options.rounds}: ${configurations.length} loads in ${seconds(Date.now() - roundStart)}`);
    }
    const lastReadings = await readAll(serverPlans, servers);
    const machineAfter = readMachineCpu();
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const readings: ServerReadings[] = serverPlans.map((server) => ({
      server,
      first: firstReadings.get(server.key)!,
      last: lastReadings.get(server.key)!,
    }));
    await stopAllServers();
    await checkNothingLeft(groups, say);
    const others =
      machineBefore && machineAfter
        ? otherLoad(machineBefore, machineAfter, (benchCpu.user + benchCpu.system) / 1e6 + serversCpuSeconds(readings))
        : null;
    if (others) {
      say(`other programs used ${others.othersPercent.toFixed(0)}% of the machine's CPU during the rounds (steal: ${others.stealPercent.toFixed(1)}%)`);
      if (others.othersPercent + others.stealPercent > 5) {
        notes.push(
          `other programs used ${others.othersPercent.toFixed(0)}% of this machine's CPU time during the rounds ` +
            `(and the hypervisor took ${others.stealPercent.toFixed(1)}%): expect wide ranges; the ratios suffer least.`,
        );
      }
    }
    return buildResults(
      {
        createdAt: new Date().toISOString(),
        quick: options.quick,
        elapsedSeconds: (Date.now() - startedAt) / 1000,
        machine: {
          cpus: cpus.length,
          cpuModel: cpus[0]?.model.trim() ?? 'unknown',
          node: process.version,
          platform: `${os.platform()} ${os.arch()}`,
          loadAverageAtStart: loadAtStart,
          duringRounds: others,
        },
        settings: {
          workers: options.workers,
          rounds: options.rounds,
          durationSeconds: options.duration,
          warmupSeconds: options.warmup,
          connectionsPerLoad: CONNECTIONS,
          clusters: kinds,
          oursTarget: kinds.includes('ours') ? options.ours : null,
        },
        notes,
      },
      configurations,
      measurements,
      readings,
    );
  } finally {
    // On an error too: every server we started is stopped before we return.
    await stopAllServers();
  }
}

function chooseClusters(options: BenchOptions, notes: string[]): ClusterKind[] {
  // The raw-handle experiment is rebuilt from solution 6 at every run.
  if (options.only.includes('raw')) buildRawHandleCluster();
  if (!options.only.includes('ours') || clusterExists(options.ours)) return options.only;
  if (options.onlyGiven) {
    throw new CannotRunError(`ours was asked for, but ${options.ours}/index.ts does not exist`);
  }
  notes.push(`ours (${options.ours}) does not exist yet: this run compares one process and node:cluster only.`);
  return options.only.filter((kind) => kind !== 'ours');
}

async function startServers(plans: readonly ServerPlan[], say: (line: string) => void): Promise<Map<string, ServerProcess>> {
  const started = Date.now();
  const servers = new Map<string, ServerProcess>();
  for (const plan of plans) {
    servers.set(
      plan.key,
      new ServerProcess({ clusterTarget: plan.clusterTarget, policy: plan.policy ?? 'rr', workers: plan.cluster === 'single' ? 0 : plan.workers }),
    );
  }
  const workerCount = plans.reduce((total, plan) => total + (plan.cluster === 'single' ? 1 : plan.workers + 1), 0);
  say(`starting ${plans.length} servers (${workerCount} processes)...`);
  for (const plan of plans) {
    const ready = await servers.get(plan.key)!.ready;
    // The policy must be the one we asked for, or every comparison lies.
    if (plan.policy !== null && ready.schedulingPolicy !== SCHED_NUMBERS[plan.policy]) {
      throw new Error(
        `${plan.label} (${plan.clusterTarget}) runs with schedulingPolicy ${ready.schedulingPolicy}, not ` +
          `${SCHED_NUMBERS[plan.policy]} (${plan.policy}): it did not read NODE_CLUSTER_SCHED_POLICY`,
      );
    }
  }
  say(`all ready in ${seconds(Date.now() - started)}; ports: ${[...servers.values()].length} on 127.0.0.1`);
  return servers;
}

/** Some load on every server and both connection modes before anything is measured. */
async function warmUp(
  plans: readonly ServerPlan[],
  servers: Map<string, ServerProcess>,
  secondsEach: number,
  say: (line: string) => void,
): Promise<void> {
  const started = Date.now();
  for (const plan of plans) {
    const { port } = await servers.get(plan.key)!.ready;
    for (const mode of ['fresh', 'keep-alive'] as ConnectionMode[]) {
      await runLoad({ port, duration: secondsEach / 2, connections: CONNECTIONS, mode });
    }
  }
  say(`warm-up: ${secondsEach} s per server, ${seconds(Date.now() - started)}`);
}

async function measure(
  configuration: ConfigurationPlan,
  server: ServerProcess,
  round: number,
  duration: number,
): Promise<Measurement> {
  const { port } = await server.ready;
  // CPU read after asking the workers, then before: only the load lies between (see server.ts).
  const before = await server.stats({ cpuAt: 'end' });
  const load: LoadResult = await runLoad({ port, duration, connections: CONNECTIONS, mode: configuration.mode });
  const after = await server.stats({ cpuAt: 'start' });
  return { configuration, round, load, before, after };
}

async function readAll(plans: readonly ServerPlan[], servers: Map<string, ServerProcess>) {
  const readings = new Map<string, Awaited<ReturnType<ServerProcess['stats']>>>();
  for (const plan of plans) readings.set(plan.key, await servers.get(plan.key)!.stats({ gc: true }));
  return readings;
}

/** CPU seconds all server processes used between their first and last readings. */
function serversCpuSeconds(readings: readonly ServerReadings[]): number {
  let micros = 0;
  for (const { server, first, last } of readings) {
    micros += last.cpu.user + last.cpu.system - first.cpu.user - first.cpu.system;
    // Alone, the primary is the worker: its time is counted already.
    if (server.cluster !== 'single') {
      micros += countsBetween(first.workers, last.workers, (w) => w.cpu.user + w.cpu.system).reduce((a, b) => a + b, 0);
    }
  }
  return micros / 1e6;
}

async function checkNothingLeft(groups: readonly number[], say: (line: string) => void): Promise<void> {
  const left = await processesInGroups(groups);
  if (left.length > 0) throw new Error(`server processes left after stopping:\n  ${left.join('\n  ')}`);
  say(`all ${groups.length} server process groups have ended (checked /proc)`);
}

/** Writes bench.json and bench-chart.svg into bench-results/, and the chart into docs/ if asked. */
export function writeResults(results: BenchResults, publish: boolean): string[] {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const jsonPath = path.join(RESULTS_DIR, 'bench.json');
  const chartPath = path.join(RESULTS_DIR, 'bench-chart.svg');
  const chart = renderChart(results);
  fs.writeFileSync(jsonPath, JSON.stringify(results, null, 2) + '\n');
  fs.writeFileSync(chartPath, chart);
  const written = [jsonPath, chartPath];
  if (publish) {
    fs.mkdirSync(path.dirname(PUBLISHED_CHART), { recursive: true });
    fs.writeFileSync(PUBLISHED_CHART, chart);
    written.push(PUBLISHED_CHART);
  }
  return written.map((file) => path.relative(repoRoot, file));
}

/** --breakdown-only: bench-results/breakdown.json. */
export function writeBreakdown(breakdown: BreakdownResults): string {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, 'breakdown.json');
  fs.writeFileSync(file, JSON.stringify(breakdown, null, 2) + '\n');
  return path.relative(repoRoot, file);
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}
