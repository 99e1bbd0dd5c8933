// What one bench run measures: which servers it starts, which
// configurations (server × connection mode) it loads, and in what order.
import { DEFAULT_OURS, type ClusterKind } from './options';
import type { ConnectionMode } from './load';
import { RAW_HANDLE_TARGET } from './raw-handle/build';

/** The experiment's row: named so that nobody takes it for the solution (see raw-handle/). */
export const RAW_HANDLE_LABEL = 'ours, raw handle (internals)';

/**
 * How the workers share the port: round-robin, the shared handle
 * (SCHED_NONE), or `listen({ reusePort: true })` in each worker (Node 22.12
 * and later: a socket per worker, the kernel balances, no primary in the path).
 */
export type Policy = 'rr' | 'none' | 'reuseport';

/** One server process group: a primary and its workers (or one process alone). */
export interface ServerPlan {
  /** "node-rr-4", "single" */
  key: string;
  cluster: ClusterKind;
  /** null for the single process */
  policy: Policy | null;
  /** 1 for the single process (it is its own only worker) */
  workers: number;
  /** CLUSTER_TARGET for server.ts */
  clusterTarget: string;
  label: string;
}

/** One thing we measure each round: a server under one connection mode. */
export interface ConfigurationPlan {
  /** "node-rr-4/fresh" */
  key: string;
  server: ServerPlan;
  mode: ConnectionMode;
  label: string;
}

export const MODES: readonly ConnectionMode[] = ['fresh', 'keep-alive'];

const POLICY_NAMES: Record<Policy, Record<'node' | 'ours', string>> = {
  rr: { node: 'node:cluster round-robin', ours: 'ours round-robin' },
  none: { node: 'node:cluster SCHED_NONE', ours: 'ours shared handle' },
  reuseport: { node: 'node:cluster reusePort', ours: 'ours reusePort' },
};

/** Does this Node (`v22.12.0`, say) know listen({ reusePort })? 22.12 and 23.1 brought it. */
export function hasReusePort(version: string = process.version): boolean {
  const [major, minor] = version.slice(1).split('.').map(Number);
  return major > 23 || (major === 23 && minor >= 1) || (major === 22 && minor >= 12);
}

/** The policies a run compares: reusePort only on a Node that has it. */
export function policiesFor(version: string = process.version): Policy[] {
  return hasReusePort(version) ? ['rr', 'none', 'reuseport'] : ['rr', 'none'];
}

/**
 * `ours` is the folder of our cluster: the newest reference solution (see
 * DEFAULT_OURS) unless --ours names another.
 */
export function planServers(
  kinds: readonly ClusterKind[],
  workerCounts: readonly number[],
  ours: string = DEFAULT_OURS,
  policies: readonly Policy[] = policiesFor(),
): ServerPlan[] {
  const servers: ServerPlan[] = [];
  if (kinds.includes('single')) {
    servers.push({ key: 'single', cluster: 'single', policy: null, workers: 1, clusterTarget: 'node', label: 'one process' });
  }
  for (const workers of workerCounts) {
    // node and ours side by side, so every OUR/NODE pair is measured back to back.
    for (const policy of policies) {
      for (const cluster of ['node', 'ours', 'raw'] as const) {
        if (!kinds.includes(cluster)) continue;
        if (cluster === 'raw' && policy !== 'rr') continue; // the experiment is about round-robin's primary
        servers.push({
          key: `${cluster}-${policy}-${workers}`,
          cluster,
          policy,
          workers,
          clusterTarget: cluster === 'node' ? 'node' : cluster === 'raw' ? RAW_HANDLE_TARGET : ours,
          label: cluster === 'raw' ? RAW_HANDLE_LABEL : POLICY_NAMES[policy][cluster],
        });
      }
    }
  }
  return servers;
}

export function planConfigurations(servers: readonly ServerPlan[]): ConfigurationPlan[] {
  return MODES.flatMap((mode) =>
    servers.map((server) => ({ key: `${server.key}/${mode}`, server, mode, label: server.label })),
  );
}

/**
 * The order of the configurations in a given round: forward in even rounds,
 * backward in odd ones (A B C, C B A, A B C ...). Every configuration gets
 * its turn in every round, so a machine that slows down or speeds up during
 * the run (another job, heat, the page cache) touches them all alike, and
 * reversing the order cancels a steady drift between neighbours.
 */
export function orderForRound<T>(configurations: readonly T[], round: number): T[] {
  return round % 2 === 0 ? [...configurations] : [...configurations].reverse();
}

/** The node configuration an "ours" configuration is compared with, if it is in the plan. */
export function nodeCounterpart(
  configuration: ConfigurationPlan,
  all: readonly ConfigurationPlan[],
): ConfigurationPlan | undefined {
  if (configuration.server.cluster !== 'ours' && configuration.server.cluster !== 'raw') return undefined;
  return all.find((candidate) => candidate.key === configuration.key.replace(/^(ours|raw)-/, 'node-'));
}
