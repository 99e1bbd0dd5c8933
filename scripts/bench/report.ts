// The text report: what `npm run bench` prints once the rounds are done.
import type { BenchResults, ConfigurationResult, RatioResult, ServerResult, TargetResult } from './results';
import { median, type Summary } from './stats';
import { formatTable } from '../tools/table';
import { formatBreakdown } from './breakdown';

/** The columns of the main table, in order. */
export const TABLE_COLUMNS = [
  'configuration',
  'workers',
  'req/s',
  'p99 ms',
  'requests per worker',
  'spread',
  'primary CPU µs/conn',
  'primary CPU % core',
] as const;

/** Keep-alive only: how the connections were dealt to the workers, each round. */
export const CONNECTIONS_COLUMN = 'connections per worker, by round';

export const RATIO_COLUMNS = ['ours / node', 'workers', 'req/s', 'primary CPU/conn', 'p99'] as const;

export const MEMORY_COLUMNS = ['primary of', 'workers', 'connections', 'heap before → after', 'heap change', 'rss before → after'] as const;

export function formatReport(results: BenchResults): string {
  const parts: string[] = [];
  const { settings } = results;
  parts.push(
    `${settings.rounds} rounds of ${settings.durationSeconds} s per configuration, interleaved; ` +
      `${settings.connectionsPerLoad} connections at a time; figures are "median (min–max)" over the rounds.`,
  );
  for (const [mode, title] of [
    ['fresh', 'Fresh connections (Connection: close): one request per connection'],
    ['keep-alive', 'Keep-alive: every connection carries requests for the whole run'],
  ] as const) {
    const rows = results.configurations.filter((configuration) => configuration.mode === mode);
    if (rows.length === 0) continue;
    // On keep-alive the few connections decide everything: show how they were dealt.
    const columns = mode === 'keep-alive' ? [...TABLE_COLUMNS, CONNECTIONS_COLUMN] : [...TABLE_COLUMNS];
    const cells = rows.map((row) => (mode === 'keep-alive' ? [...configurationRow(row), connectionDeals(row)] : configurationRow(row)));
    parts.push(`\n${title}\n${benchTable(columns, cells)}`);
  }
  parts.push('\n' + describeLoadGenerator(results.configurations));
  if (results.ratios.length > 0) {
    parts.push(
      '\nOurs / node:cluster, ratio taken in each round (req/s > 1: ours faster; CPU and p99 < 1: ours cheaper)\n' +
        benchTable([...RATIO_COLUMNS], results.ratios.map(ratioRow)),
    );
  }
  if (results.servers.length > 0) {
    parts.push(
      '\nPrimary memory, after the warm-up → after the last round (both after a garbage collection)\n' +
        benchTable([...MEMORY_COLUMNS], results.servers.map(memoryRow)),
    );
  }
  if (results.breakdown) parts.push('\n' + formatBreakdown(results.breakdown));
  if (results.targets.length > 0) parts.push('\nTargets (measured, not asserted)\n' + results.targets.map(targetLine).join('\n'));
  if (results.notes.length > 0) parts.push('\n' + results.notes.map((note) => `Note: ${note}`).join('\n'));
  return parts.join('\n');
}

/** How hard the client worked: if it was the bottleneck, the servers' figures are its figures. */
function describeLoadGenerator(configurations: readonly ConfigurationResult[]): string {
  const byMode = (['fresh', 'keep-alive'] as const)
    .map((mode) => {
      const loads = configurations.filter((c) => c.mode === mode).flatMap((c) => c.rounds.map((r) => r.loadGeneratorCpuPercent));
      return loads.length === 0 ? '' : `${median(loads).toFixed(0)}% of a core on ${mode}`;
    })
    .filter(Boolean);
  return (
    `Load generator (autocannon, in the bench's own process): median ${byMode.join(', ')}. ` +
    'Near 100%, the client and not the server set the pace.'
  );
}

function configurationRow(result: ConfigurationResult): string[] {
  const { summary } = result;
  return [
    result.label,
    String(result.workers),
    describe(summary.requestsPerSecond, groupedInteger),
    describe(summary.p99Ms, (value) => value.toFixed(2)),
    summary.perWorkerRequests.map(compactCount).join(' '),
    describe(summary.spread, spreadText),
    summary.primaryCpuMicrosPerConnection
      ? describe(summary.primaryCpuMicrosPerConnection, (value) => value.toFixed(1))
      : '–',
    describe(summary.primaryCpuPercent, (value) => value.toFixed(0)),
  ].map((cell, index) => (index === 0 && result.summary.errors > 0 ? `${cell} (${result.summary.errors} errors!)` : cell));
}

/** "3-3-2-2 ×3, 4-2-2-2 ×2": each distinct deal of connections and how many rounds had it. */
export function connectionDeals(result: ConfigurationResult): string {
  const counted = new Map<string, number>();
  for (const round of result.rounds) {
    const deal = round.perWorkerConnections.join('-');
    counted.set(deal, (counted.get(deal) ?? 0) + 1);
  }
  return [...counted].map(([deal, rounds]) => (rounds > 1 ? `${deal} ×${rounds}` : deal)).join(', ');
}

const POLICY_WORDS: Record<RatioResult['policy'], string> = { rr: 'round-robin', none: 'shared handle', reuseport: 'reusePort' };

function ratioRow(ratio: RatioResult): string[] {
  const two = (value: number): string => value.toFixed(2);
  const describeOptional = (summary: Summary | null): string => (summary ? describe(summary, two) : '–');
  return [
    `${ratio.ours.startsWith('raw-') ? 'raw handle (internals)' : POLICY_WORDS[ratio.policy]}, ${ratio.mode}`,
    String(ratio.workers),
    describeOptional(ratio.summary.requestsPerSecond),
    describeOptional(ratio.summary.primaryCpuMicrosPerConnection),
    describeOptional(ratio.summary.p99Ms),
  ];
}

/**
 * The heap change is shown as it is, not per connection: a few hundred KB
 * come and go with compiled code and caches whatever the traffic, and divided
 * by a few thousand connections they would look like a leak. A real leak
 * grows with the connections: run more rounds and watch it follow them.
 */
function memoryRow(server: ServerResult): string[] {
  const change = server.memoryAfter.heapUsed - server.memoryBefore.heapUsed;
  return [
    server.label,
    String(server.workers),
    groupedInteger(server.connections),
    `${megabytes(server.memoryBefore.heapUsed)} → ${megabytes(server.memoryAfter.heapUsed)}`,
    `${change >= 0 ? '+' : '−'}${(Math.abs(change) / 1024).toFixed(0)} KB`,
    `${megabytes(server.memoryBefore.rss)} → ${megabytes(server.memoryAfter.rss)}`,
  ];
}

function targetLine(target: TargetResult): string {
  const verdict = target.met === null ? 'info' : target.met ? 'MET ' : 'MISS';
  return `  [${verdict}] ${target.name}: ${target.measured}; goal ${target.goal}`;
}

/** "median (min–max)", or just the value when all rounds agree to the shown precision. */
export function describe(summary: Summary, format: (value: number) => string): string {
  const [median, min, max] = [summary.median, summary.min, summary.max].map(format);
  return min === max ? median : `${median} (${min}–${max})`;
}

/** 1.0345 → "1.03"; a worker that served nothing makes it "∞". */
export function spreadText(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : '∞';
}

export function groupedInteger(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** 950 → "950", 12_345 → "12.3k", 1_234_567 → "1.23M" */
export function compactCount(value: number): string {
  if (value < 1000) return String(Math.round(value));
  if (value < 1_000_000) return `${(value / 1000).toFixed(1)}k`;
  return `${(value / 1_000_000).toFixed(2)}M`;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Columns padded to their widest cell; the first column left-aligned, the others too (they hold ranges). */
/** The bench's tables (and the breakdown's): plain columns, the header underlined with hyphens. */
const benchTable = (header: string[], rows: string[][]): string => formatTable(header, rows, [], '-');
