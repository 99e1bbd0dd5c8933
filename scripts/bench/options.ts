// `npm run bench -- [options]`: what the command line may say, and the
// defaults for a full run and for --quick.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../repo-root';
import { readCommandLine, UsageError } from '../tools/command-line';

/**
 * raw: "ours, raw handle (internals)", an experiment outside the public API
 * (scripts/bench/raw-handle/): solution 6 whose round-robin primary hands
 * over raw handles as node's does. Round-robin only.
 */
export type ClusterKind = 'single' | 'node' | 'ours' | 'raw';
export const CLUSTER_KINDS: readonly ClusterKind[] = ['single', 'node', 'ours', 'raw'];

/** The ways of sharing the port (see plan.ts's Policy). */
export type PolicyName = 'rr' | 'none' | 'reuseport';
export const POLICY_NAMES: readonly PolicyName[] = ['rr', 'none', 'reuseport'];

export interface BenchOptions {
  quick: boolean;
  /** worker counts to try, e.g. [2, 4] */
  workers: number[];
  rounds: number;
  /** seconds of load per configuration per round */
  duration: number;
  /** seconds of load per server before the first round (JIT, caches, first allocations) */
  warmup: number;
  /** which servers to run; 'ours' is left out with a note when it does not exist yet */
  only: ClusterKind[];
  /** which ways of sharing the port to compare; null: every one this Node has */
  policies: PolicyName[] | null;
  /** true when --only or --ours was given: then a missing "ours" is an error, not a note */
  onlyGiven: boolean;
  /** the folder of "our" cluster (CLUSTER_TARGET), relative to the repository */
  ours: string;
  publish: boolean;
  /** 'also' after the rounds (default), 'only' without the rounds, 'no' */
  breakdown: 'also' | 'only' | 'no';
  help: boolean;
}

/**
 * "ours" unless --ours says otherwise: the newest reference solution, the
 * folder in solutions/ with the highest lesson number that has an index.ts
 * (solutions/06-measure since lesson 6).
 */
export const DEFAULT_OURS = newestSolution();

function newestSolution(): string {
  const solutions = path.join(repoRoot, 'solutions');
  const folders = fs.existsSync(solutions)
    ? fs.readdirSync(solutions).filter((name) => /^\d\d-/.test(name) && fs.existsSync(path.join(solutions, name, 'index.ts')))
    : [];
  return `solutions/${folders.sort().at(-1) ?? '05-round-robin'}`;
}

export const USAGE = `Usage: npm run bench -- [options]

Loads HTTP hello-world servers on 127.0.0.1 with autocannon and compares them:
one process, node:cluster (round-robin and SCHED_NONE) and ours
(${DEFAULT_OURS}: round-robin and shared handle), on fresh
connections and on keep-alive, in interleaved rounds. Then the breakdown:
where each round-robin primary's CPU goes per connection, phase by phase,
from a CPU profile, with counters of its IPC.

Options:
  --quick             a short run (about a minute): 2 rounds of 0.5 s, a short breakdown
  --workers 2,4       worker counts to compare (default: 2,4)
  --rounds N          rounds of every configuration (default: 5; --quick: 2)
  --duration S        seconds of load per configuration per round (default: 1; --quick: 0.5)
  --only LIST         some of single,node,ours,raw (default: all that exist; raw is "ours, raw
                      handle (internals)", an experiment outside the public API, round-robin only)
  --policies LIST     some of rr,none,reuseport (default: all this Node has; reuseport needs 22.12)
  --ours DIR          the cluster to measure as "ours" (default: ${DEFAULT_OURS}, the newest solution),
                      e.g. your own copy: --ours lessons/06-measure/cluster
  --breakdown-only    only the breakdown (about 20 s per worker count)
  --no-breakdown      skip it
  --publish           also copy the chart to docs/assets/bench-chart.svg (not with --quick)
  --help              this text

Results go to bench-results/bench.json and bench-results/bench-chart.svg.`;

/** A command line the bench cannot run with; the message says why. */
export { UsageError };

const OPTIONS = {
  quick: { type: 'boolean' },
  publish: { type: 'boolean' },
  help: { type: 'boolean' },
  'breakdown-only': { type: 'boolean' },
  'no-breakdown': { type: 'boolean' },
  workers: { type: 'string' },
  rounds: { type: 'string' },
  duration: { type: 'string' },
  only: { type: 'string' },
  ours: { type: 'string' },
  policies: { type: 'string' },
} as const;

const FULL = { rounds: 5, duration: 1, warmup: 0.5 };
const QUICK = { rounds: 2, duration: 0.5, warmup: 0.25 };

export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values: given, positionals } = readCommandLine(argv, OPTIONS);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);

  const quick = given.quick === true;
  const defaults = quick ? QUICK : FULL;
  const options: BenchOptions = {
    quick,
    workers: given.workers !== undefined ? parseWorkers(given.workers) : [2, 4],
    rounds: given.rounds !== undefined ? parseCount('--rounds', given.rounds, 1, 100) : defaults.rounds,
    duration: given.duration !== undefined ? parseSeconds(given.duration) : defaults.duration,
    warmup: defaults.warmup,
    only: given.only !== undefined ? parseOnly(given.only) : [...CLUSTER_KINDS],
    policies: given.policies !== undefined ? parsePolicies(given.policies) : null,
    onlyGiven: given.only !== undefined || given.ours !== undefined,
    ours: given.ours !== undefined ? parseFolder(given.ours) : DEFAULT_OURS,
    publish: given.publish === true,
    breakdown: given['breakdown-only'] ? 'only' : given['no-breakdown'] ? 'no' : 'also',
    help: given.help === true,
  };
  if (given['breakdown-only'] && given['no-breakdown']) {
    throw new UsageError('--breakdown-only and --no-breakdown contradict each other');
  }
  if (options.publish && options.quick) {
    throw new UsageError('--publish wants a full run: the published chart is what the docs show (drop --quick)');
  }
  return options;
}

/** A folder inside the repository, written the way CLUSTER_TARGET wants it: "solutions/06-measure". */
function parseFolder(text: string): string {
  const folder = text.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
  if (folder === '' || folder.startsWith('/') || folder.split('/').includes('..')) {
    throw new UsageError(`--ours wants a folder inside the repository, such as solutions/06-measure, not "${text}"`);
  }
  return folder;
}

function parseWorkers(text: string): number[] {
  const counts = text.split(',').map((part) => parseCount('--workers', part.trim(), 1, 16));
  if (new Set(counts).size !== counts.length) throw new UsageError(`--workers lists a count twice: "${text}"`);
  return counts.sort((a, b) => a - b);
}

function parseCount(option: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${option} wants whole numbers from ${min} to ${max}, not "${text}"`);
  }
  return Number(text);
}

function parseSeconds(text: string): number {
  const seconds = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || seconds < 0.2 || seconds > 60) {
    throw new UsageError(`--duration wants seconds from 0.2 to 60, not "${text}"`);
  }
  return seconds;
}

function parseOnly(text: string): ClusterKind[] {
  const kinds = text.split(',').map((part) => part.trim());
  for (const kind of kinds) {
    if (!CLUSTER_KINDS.includes(kind as ClusterKind)) {
      throw new UsageError(`--only takes some of ${CLUSTER_KINDS.join(',')}, not "${kind}"`);
    }
  }
  return CLUSTER_KINDS.filter((kind) => kinds.includes(kind));
}

function parsePolicies(text: string): PolicyName[] {
  const names = text.split(',').map((part) => part.trim());
  for (const name of names) {
    if (!POLICY_NAMES.includes(name as PolicyName)) {
      throw new UsageError(`--policies takes some of ${POLICY_NAMES.join(',')}, not "${name}"`);
    }
  }
  return POLICY_NAMES.filter((name) => names.includes(name));
}
