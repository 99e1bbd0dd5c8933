// The arithmetic of the benchmark, kept apart so the tests can check it on
// small made-up numbers. Nothing here measures or waits.

/** A middle value and the range it came from. */
export interface Summary {
  median: number;
  min: number;
  max: number;
}

/** The middle value; for an even count, the mean of the two middle values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new RangeError('summary of no values');
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/**
 * How unevenly the work was shared: the busiest worker's count over the
 * idlest one's. 1.00 is a perfect share; 1.50 means one worker did half as
 * much again as another. A worker that got nothing makes it Infinity.
 */
export function spread(perWorker: readonly number[]): number {
  if (perWorker.length === 0) throw new RangeError('spread of no workers');
  const most = Math.max(...perWorker);
  const least = Math.min(...perWorker);
  if (most === 0) return 1; // nobody did anything: evenly, if uselessly
  return least === 0 ? Infinity : most / least;
}

/** ours / node; undefined when node's figure is zero (no ratio to speak of). */
export function ratio(ours: number, node: number): number | undefined {
  return node === 0 ? undefined : ours / node;
}

/** process.cpuUsage() gives microseconds of user and system time; we count both. */
export interface CpuUsage {
  user: number;
  system: number;
}

/** CPU time the process spent between two process.cpuUsage() readings, in microseconds. */
export function cpuMicrosBetween(before: CpuUsage, after: CpuUsage): number {
  return after.user - before.user + (after.system - before.system);
}

/**
 * The primary's CPU time per connection it had to deal with, in microseconds.
 * Undefined when there were no connections.
 */
export function cpuMicrosPerConnection(cpuMicros: number, connections: number): number | undefined {
  return connections === 0 ? undefined : cpuMicros / connections;
}

/** Per-worker differences between two readings of cumulative counters, matched by worker id. */
export function countsBetween<T extends { id: number }>(
  before: readonly T[],
  after: readonly T[],
  pick: (entry: T) => number,
): number[] {
  return after.map((entry) => {
    const earlier = before.find((candidate) => candidate.id === entry.id);
    return pick(entry) - (earlier ? pick(earlier) : 0);
  });
}

/** Sums lists of per-worker counts position by position (worker 1 with worker 1, ...). */
export function addPerWorker(lists: readonly (readonly number[])[]): number[] {
  const total: number[] = [];
  for (const list of lists) list.forEach((value, index) => (total[index] = (total[index] ?? 0) + value));
  return total;
}

/**
 * The p-th percentile by nearest rank: the smallest value that at least p% of
 * the values do not exceed. percentile([1..100], 99) is 99.
 */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], not ${p}`);
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[rank - 1];
}
