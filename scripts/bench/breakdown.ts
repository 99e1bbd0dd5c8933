// The breakdown run: where a round-robin primary's CPU goes, per connection,
// phase by phase (see phases.ts), for node:cluster, ours and the raw-handle
// experiment side by side.
//
// Each primary runs with `--cpu-prof` (a sample every 100 µs) and the probe
// (probe.ts: IPC and socket counters, loaded with --require; its own time is
// left out of the phases). Its workers run without the profiler. The servers
// take fresh connections in interleaved rounds, as in the main run; only the
// samples taken during a load count, and every figure is divided by the
// connections the workers got during the loads.
import fs from 'node:fs';
import path from 'node:path';
import { runLoad } from './load';
import type { ClusterKind } from './options';
import { orderForRound, planServers, type ServerPlan } from './plan';
import { phaseSamples, PHASES, PHASE_NAMES, type CpuProfile, type Phase } from './phases';
import type { ProbeCounts } from './probe';
import { ServerProcess } from './server-process';
import type { StatsReply } from './server';
import { cpuMicrosBetween } from './stats';
import { formatTable } from '../tools/table';

const PROFILE_INTERVAL_MICROS = 100;
/** Writing a profile of a few hundred thousand samples takes a moment: wait for it. */
const STOP_GRACE_MS = 30_000;

export interface BreakdownColumn {
  key: string;
  label: string;
  cluster: ClusterKind;
  workers: number;
  connections: number;
  /** process.cpuUsage() of the primary during the loads, per connection */
  cpuMicrosPerConnection: number;
  cpuUserMicrosPerConnection: number;
  /**
   * The primary's CPU per connection, shared out by phase in proportion to
   * the profile's busy samples during the loads (idle ones left out).
   */
  phaseMicrosPerConnection: Record<Phase, number>;
  /** the busy samples those shares rest on */
  busySamples: number;
  /** the probe's own time, per connection (left out of the phases) */
  probeMicrosPerConnection: number;
  /** the phases added up: the primary's CPU per connection without the probe's */
  profiledMicrosPerConnection: number;
  counters: {
    primaryToWorkerMessages: number;
    primaryToWorkerBytes: number;
    workerToPrimaryMessages: number;
    workerToPrimaryBytes: number;
    handlesSent: number;
    socketsMadeInPrimary: number;
    /** mean µs from an offer to the primary reading its answer */
    answerMicros: number;
    /** share of the offers made while every other worker had one unanswered, 0 to 1 */
    offersWithNoOtherFree: number;
  };
  profileFile: string;
}

export interface BreakdownResults {
  intervalMicros: number;
  rounds: number;
  durationSeconds: number;
  columns: BreakdownColumn[];
}

interface Window {
  before: StatsReply;
  after: StatsReply;
}

export async function runBreakdown(
  options: { workers: number[]; rounds: number; duration: number; kinds: readonly ClusterKind[]; ours: string; profileDir: string },
  say: (line: string) => void,
): Promise<BreakdownResults> {
  const plans = planServers(
    options.kinds.filter((kind) => kind === 'node' || kind === 'ours' || kind === 'raw'),
    options.workers,
    options.ours,
    ['rr'],
  );
  fs.rmSync(options.profileDir, { recursive: true, force: true });
  const servers = new Map<string, ServerProcess>();
  for (const plan of plans) {
    const dir = path.join(options.profileDir, plan.key);
    fs.mkdirSync(dir, { recursive: true });
    servers.set(
      plan.key,
      new ServerProcess({
        clusterTarget: plan.clusterTarget,
        policy: 'rr',
        workers: plan.workers,
        nodeOptions: [
          '--cpu-prof',
          `--cpu-prof-dir=${dir}`,
          `--cpu-prof-interval=${PROFILE_INTERVAL_MICROS}`,
          '--require',
          './scripts/bench/probe.ts',
        ],
      }),
    );
  }
  say(`breakdown: ${plans.length} round-robin primaries with a CPU profiler and the probe (fresh connections only)`);
  const windows = new Map<string, Window[]>(plans.map((plan) => [plan.key, []]));
  try {
    for (const plan of plans) {
      const { port } = await servers.get(plan.key)!.ready;
      await runLoad({ port, duration: 0.5, connections: 10, mode: 'fresh' }); // warm-up, not counted
    }
    for (let round = 0; round < options.rounds; round++) {
      for (const plan of orderForRound(plans, round)) {
        const server = servers.get(plan.key)!;
        const { port } = await server.ready;
        const before = await server.stats({ cpuAt: 'end' });
        await runLoad({ port, duration: options.duration, connections: 10, mode: 'fresh' });
        const after = await server.stats({ cpuAt: 'start' });
        windows.get(plan.key)!.push({ before, after });
      }
    }
  } finally {
    // Closing its input stops a server; on the way out the primary writes its profile.
    await Promise.all([...servers.values()].map((server) => server.stop(STOP_GRACE_MS)));
  }
  const columns = plans.map((plan) => columnFor(plan, windows.get(plan.key)!, path.join(options.profileDir, plan.key)));
  return { intervalMicros: PROFILE_INTERVAL_MICROS, rounds: options.rounds, durationSeconds: options.duration, columns };
}

function columnFor(plan: ServerPlan, windows: readonly Window[], dir: string): BreakdownColumn {
  const profileFile = fs.readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!profileFile) throw new Error(`breakdown: ${plan.label} (${plan.workers} workers) wrote no CPU profile in ${dir}`);
  const profile = JSON.parse(fs.readFileSync(path.join(dir, profileFile), 'utf8')) as CpuProfile;
  const counted = phaseSamples(
    profile,
    windows.map(({ before, after }) => [before.clockMicros!, after.clockMicros!] as const),
  );
  let connections = 0;
  let cpu = 0;
  let cpuUser = 0;
  const primary = zeroCounts();
  const workers = zeroCounts();
  for (const { before, after } of windows) {
    for (const worker of after.workers) {
      const earlier = before.workers.find((candidate) => candidate.id === worker.id);
      connections += worker.connections - (earlier?.connections ?? 0);
      addDifference(workers, earlier?.probe, worker.probe);
    }
    cpu += cpuMicrosBetween(before.cpu, after.cpu);
    cpuUser += after.cpu.user - before.cpu.user;
    addDifference(primary, before.probe, after.probe);
  }
  const per = (value: number): number => (connections === 0 ? 0 : value / connections);
  // Each phase's share of the busy samples, times the CPU the primary used (its own clock, not the profiler's).
  const busySamples = PHASES.reduce((total, phase) => total + counted.samples[phase], counted.probe);
  const share = (samples: number): number => (busySamples === 0 ? 0 : (per(cpu) * samples) / busySamples);
  const phaseMicrosPerConnection = Object.fromEntries(PHASES.map((phase) => [phase, share(counted.samples[phase])])) as Record<Phase, number>;
  return {
    key: plan.key,
    label: plan.label,
    cluster: plan.cluster,
    workers: plan.workers,
    connections,
    cpuMicrosPerConnection: per(cpu),
    cpuUserMicrosPerConnection: per(cpuUser),
    phaseMicrosPerConnection,
    probeMicrosPerConnection: share(counted.probe),
    busySamples,
    profiledMicrosPerConnection: PHASES.reduce((total, phase) => total + phaseMicrosPerConnection[phase], 0),
    counters: {
      primaryToWorkerMessages: per(primary.messagesSent),
      primaryToWorkerBytes: per(primary.bytesSent),
      workerToPrimaryMessages: per(workers.messagesSent),
      workerToPrimaryBytes: per(workers.bytesSent),
      handlesSent: per(primary.handlesSent),
      socketsMadeInPrimary: per(primary.socketsMade),
      answerMicros: primary.answers === 0 ? 0 : primary.answerMicros / primary.answers,
      offersWithNoOtherFree: primary.handlesSent === 0 ? 0 : primary.offersWithNoOtherFree / primary.handlesSent,
    },
    profileFile: path.join(dir, profileFile),
  };
}

function zeroCounts(): ProbeCounts {
  return { messagesSent: 0, bytesSent: 0, handlesSent: 0, socketsMade: 0, answers: 0, answerMicros: 0, offersWithNoOtherFree: 0 };
}

function addDifference(total: ProbeCounts, before: ProbeCounts | undefined, after: ProbeCounts | undefined): void {
  if (!after) return;
  for (const key of Object.keys(total) as (keyof ProbeCounts)[]) total[key] += after[key] - (before?.[key] ?? 0);
}

/** The breakdown as text: one table per worker count, a column per cluster. */
export function formatBreakdown(results: BreakdownResults): string {
  const parts = [
    `Where each round-robin primary's CPU goes, per fresh connection (µs): its CPU time (process.cpuUsage) over ` +
      `${results.rounds} loads of ${results.durationSeconds} s each, shared out by phase as the samples of a CPU profile ` +
      `(one every ${results.intervalMicros} µs) fell; counters from the probe (probe.ts). The profiler and the probe ` +
      'cost the primary too: compare the columns with each other, not with the main table.',
  ];
  for (const workers of [...new Set(results.columns.map((column) => column.workers))]) {
    const columns = results.columns.filter((column) => column.workers === workers);
    const fixed = (value: number): string => value.toFixed(1);
    const rows: string[][] = [
      ...PHASES.map((phase) => [PHASE_NAMES[phase], ...columns.map((column) => fixed(column.phaseMicrosPerConnection[phase]))]),
      ['= the phases together', ...columns.map((column) => fixed(column.profiledMicrosPerConnection))],
      ["+ the probe's own counting", ...columns.map((column) => fixed(column.probeMicrosPerConnection))],
      ['= primary CPU (process.cpuUsage: user + system)', ...columns.map((column) => `${fixed(column.cpuMicrosPerConnection)} (${fixed(column.cpuUserMicrosPerConnection)} + ${fixed(column.cpuMicrosPerConnection - column.cpuUserMicrosPerConnection)})`)],
      ['busy samples in the profile', ...columns.map((column) => String(column.busySamples))],
      ['messages primary → worker', ...columns.map((column) => column.counters.primaryToWorkerMessages.toFixed(2))],
      ['bytes primary → worker', ...columns.map((column) => column.counters.primaryToWorkerBytes.toFixed(0))],
      ['messages worker → primary', ...columns.map((column) => column.counters.workerToPrimaryMessages.toFixed(2))],
      ['bytes worker → primary', ...columns.map((column) => column.counters.workerToPrimaryBytes.toFixed(0))],
      ['handles sent', ...columns.map((column) => column.counters.handlesSent.toFixed(2))],
      ['net.Socket objects made in the primary', ...columns.map((column) => column.counters.socketsMadeInPrimary.toFixed(2))],
      ['offer → answer read, mean µs (the worker is not free meanwhile)', ...columns.map((column) => fixed(column.counters.answerMicros))],
      ['offers made while every other worker had one unanswered', ...columns.map((column) => `${(column.counters.offersWithNoOtherFree * 100).toFixed(0)}%`)],
      ['connections measured', ...columns.map((column) => String(column.connections))],
    ];
    parts.push(`\n${workers} workers\n` + formatTable([`per connection`, ...columns.map((column) => column.label)], rows, [], '-'));
  }
  return parts.join('\n');
}
