// The bench's arithmetic on small made-up numbers.
import assert from 'node:assert/strict';
import test from 'node:test';
import {
  addPerWorker,
  countsBetween,
  cpuMicrosBetween,
  cpuMicrosPerConnection,
  median,
  percentile,
  ratio,
  spread,
  summarize,
} from './stats';
import { otherLoad, parseProcStat } from './machine';

test('median: the middle value, or the mean of the two middle ones', { timeout: 5000 }, () => {
  assert.equal(median([3]), 3);
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([10, 10, 1000]), 10, 'one outlier does not move it');
  assert.throws(() => median([]), RangeError);
});

test('summarize: median with min and max, input left unsorted', { timeout: 5000 }, () => {
  const values = [7, 2, 9, 4];
  assert.deepEqual(summarize(values), { median: 5.5, min: 2, max: 9 });
  assert.deepEqual(values, [7, 2, 9, 4]);
});

test('spread: busiest worker over idlest worker', { timeout: 5000 }, () => {
  assert.equal(spread([100, 100, 100]), 1);
  assert.equal(spread([150, 100]), 1.5);
  assert.equal(spread([102, 100, 101, 100]), 1.02);
  assert.equal(spread([5, 0]), Infinity, 'a worker that got nothing');
  assert.equal(spread([0, 0]), 1, 'nobody got anything');
  assert.equal(spread([42]), 1, 'one process is even with itself');
});

test('ratio: ours over node, undefined without a node figure', { timeout: 5000 }, () => {
  assert.equal(ratio(110, 100), 1.1);
  assert.equal(ratio(50, 100), 0.5);
  assert.equal(ratio(5, 0), undefined);
});

test('CPU µs per connection from two process.cpuUsage() readings', { timeout: 5000 }, () => {
  const before = { user: 1_000_000, system: 200_000 };
  const after = { user: 1_240_000, system: 260_000 };
  const cpu = cpuMicrosBetween(before, after);
  assert.equal(cpu, 300_000, 'user and system time both count');
  assert.equal(cpuMicrosPerConnection(cpu, 10_000), 30);
  assert.equal(cpuMicrosPerConnection(cpu, 0), undefined);
});

test('percentile: nearest rank, fractions kept', { timeout: 5000 }, () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(oneToHundred, 99), 99);
  assert.equal(percentile(oneToHundred, 50), 50);
  assert.equal(percentile(oneToHundred, 100), 100);
  assert.equal(percentile(Float64Array.from([0.31, 0.12, 0.95]), 99), 0.95);
  assert.equal(percentile([0.2, 0.1], 50), 0.1);
  assert.throws(() => percentile([], 99), RangeError);
  assert.throws(() => percentile([1], 0), RangeError);
});

test('per-worker counts between two readings, matched by worker id', { timeout: 5000 }, () => {
  const before = [
    { id: 1, requests: 10 },
    { id: 2, requests: 20 },
  ];
  const after = [
    { id: 1, requests: 15 },
    { id: 2, requests: 27 },
  ];
  assert.deepEqual(countsBetween(before, after, (worker) => worker.requests), [5, 7]);
  assert.deepEqual(countsBetween([], after, (worker) => worker.requests), [15, 27], 'a worker with no earlier reading');
  assert.deepEqual(addPerWorker([[5, 7], [1, 2], [10, 0]]), [16, 9]);
});

test('the rest of the machine: /proc/stat minus what the bench used', { timeout: 5000 }, () => {
  // user nice system idle iowait irq softirq steal (ticks of 1/100 s)
  const before = parseProcStat('cpu  1000 0 500 7900 0 0 100 0 0 0\ncpu0 1 2 3\n');
  const after = parseProcStat('cpu  1600 0 700 8100 0 0 100 0 0 0\ncpu0 1 2 3\n');
  assert.deepEqual(before, { busy: 15, steal: 0, total: 95 }, 'softirq counts in the total, not as busy');
  // 10 s of capacity, 8 s busy, of which the bench used 6 s: others used 2 s, 20%
  const load = otherLoad(before, after, 6);
  assert.equal(Math.round(load.othersPercent), 20);
  assert.equal(load.stealPercent, 0);
  assert.equal(otherLoad(before, after, 9).othersPercent, 0, 'never below zero');
});
