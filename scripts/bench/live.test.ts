// A very short real run: a real server, real autocannon, real counters.
// Nothing here is timed: the checks are on counts (what the client sent,
// what the workers served, how many connections they got) and on cleanup.
// The process guard fails a test that leaves any process behind.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { guardedTest } from '../../testing/guard';
import { repoRoot } from '../repo-root';
import { startProgram } from '../../testing/program';
import { runLoad } from './load';
import { DEFAULT_OURS, parseOptions } from './options';
import { formatBreakdown, runBreakdown } from './breakdown';
import { buildRawHandleCluster, RAW_HANDLE_TARGET } from './raw-handle/build';
import { policiesFor } from './plan';
import { runBench } from './run';
import { processesInGroups, ServerProcess } from './server-process';
import { countsBetween } from './stats';

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** The server's stats once two readings 100 ms apart show the same connection counts (at most 3 s of waiting). */
async function settledStats(server: ServerProcess): Promise<Awaited<ReturnType<ServerProcess['stats']>>> {
  let previous = await server.stats();
  for (let attempt = 0; attempt < 30; attempt++) {
    await sleep(100);
    const next = await server.stats();
    const connections = (reading: typeof next) => sum(reading.workers.map((worker) => worker.connections));
    if (connections(next) === connections(previous)) return next;
    previous = next;
  }
  return previous;
}

/**
 * The server's stats once `enough` holds for them (at most 5 s of waiting).
 * The client counts a connection as made when the kernel has accepted it; on a
 * busy machine the primary can take longer to hand it to a worker than a short
 * load lasts.
 */
async function statsOnce(server: ServerProcess, enough: (stats: Awaited<ReturnType<ServerProcess['stats']>>) => boolean) {
  let stats = await server.stats();
  for (let attempt = 0; attempt < 50 && !enough(stats); attempt++) {
    await sleep(100);
    stats = await server.stats();
  }
  return stats;
}

guardedTest('node:cluster round-robin, 2 workers: counts line up with what autocannon saw', { timeout: 30_000 }, async () => {
  const server = new ServerProcess({ clusterTarget: 'node', policy: 'rr', workers: 2 });
  try {
    const ready = await server.ready;
    assert.equal(ready.schedulingPolicy, 2, 'NODE_CLUSTER_SCHED_POLICY=rr reached the cluster');
    assert.equal(ready.workers, 2);

    const beforeFresh = await server.stats();
    const fresh = await runLoad({ port: ready.port, duration: 0.3, connections: 10, mode: 'fresh' });
    const afterFresh = await server.stats();
    const served = sum(countsBetween(beforeFresh.workers, afterFresh.workers, (w) => w.requests));
    const connections = sum(countsBetween(beforeFresh.workers, afterFresh.workers, (w) => w.connections));
    assert.ok(fresh.responses > 0, 'some answers');
    assert.equal(fresh.errors, 0);
    // One request per connection: the workers got about as many connections as requests.
    assert.ok(Math.abs(connections - served) <= 10, `fresh: ${connections} connections for ${served} requests`);
    // Our fix of autocannon's Connection: close handling: no request is written
    // onto a closing connection, so at most one per client is unanswered at the end.
    assert.ok(fresh.sent - fresh.responses <= 10, `sent ${fresh.sent}, answered ${fresh.responses}`);
    assert.ok(served >= fresh.responses && served <= fresh.responses + 10, `served ${served}, answered ${fresh.responses}`);

    // A connection the fresh load opened as it stopped can still reach a
    // worker after the reading above: wait until the counts stop moving, so
    // that it is not counted as one of the keep-alive load's.
    const beforeKept = await settledStats(server);
    const kept = await runLoad({ port: ready.port, duration: 0.3, connections: 10, mode: 'keep-alive' });
    const keptSince = (stats: typeof beforeKept) => sum(countsBetween(beforeKept.workers, stats.workers, (w) => w.connections));
    const afterKept = await statsOnce(server, (stats) => keptSince(stats) >= 10);
    const keptConnections = keptSince(afterKept);
    assert.equal(kept.errors, 0);
    assert.equal(keptConnections, 10, 'keep-alive: the 10 connections carry every request');
    assert.ok(kept.responses > keptConnections, 'many requests per connection');
  } finally {
    await server.stop();
  }
  assert.deepEqual(await processesInGroups([server.pid]), [], 'the primary and its workers are gone');
});

guardedTest('a whole bench run, tiny: node:cluster with 2 workers, one round', { timeout: 60_000 }, async () => {
  const options = { ...parseOptions(['--only', 'node', '--workers', '2', '--rounds', '1', '--duration', '0.2']), warmup: 0.2 };
  const lines: string[] = [];
  const results = await runBench(options, (line) => lines.push(line));
  // reusePort rows too on a Node that has it (22.12 and later).
  const policies = policiesFor();
  assert.deepEqual(
    results.configurations.map((c) => c.key),
    ['fresh', 'keep-alive'].flatMap((mode) => policies.map((policy) => `node-${policy}-2/${mode}`)),
  );
  for (const configuration of results.configurations) {
    assert.equal(configuration.rounds.length, 1);
    assert.equal(configuration.summary.perWorkerRequests.length, 2);
    assert.equal(configuration.summary.errors, 0, configuration.key);
  }
  assert.equal(results.servers.length, policies.length);
  assert.ok(lines.some((line) => line.includes(`all ${policies.length} server process groups have ended`)), lines.join('\n'));
});

guardedTest('Ctrl-C in the middle of a run stops every server', { timeout: 60_000 }, async () => {
  const bench = startProgram('scripts/bench.ts', { args: ['--only', 'node', '--workers', '2', '--rounds', '3'] });
  await bench.waitForLine(/^warm-up|^round 1/);
  bench.child.kill('SIGINT');
  const result = await bench.finished;
  assert.equal(result.code, 130, result.stderr);
  assert.match(result.stderr, /SIGINT: stopping the servers/);
  // The guard checks that no process is left.
});

guardedTest('the breakdown, tiny: profiles and counters of node, ours and the raw-handle experiment', { timeout: 90_000 }, async () => {
  // Built into bench-results/ as the bench does; removed again unless a bench run had left it there.
  const rawFolder = path.join(repoRoot, RAW_HANDLE_TARGET);
  const rawWasThere = fs.existsSync(rawFolder);
  buildRawHandleCluster();
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-profiles-'));
  try {
    const results = await runBreakdown(
      { workers: [2], rounds: 1, duration: 0.5, kinds: ['node', 'ours', 'raw'], ours: DEFAULT_OURS, profileDir },
      () => {},
    );
    const byCluster = new Map(results.columns.map((column) => [column.cluster, column]));
    assert.deepEqual([...byCluster.keys()], ['node', 'ours', 'raw']);
    for (const column of results.columns) {
      assert.ok(column.connections > 0, `${column.label}: connections were measured`);
      assert.ok(column.busySamples > 0, `${column.label}: the profile has samples in the loads`);
      // One offer out (the socket travels with it), the ACK and the answer back: per connection, whatever the cluster.
      assert.ok(Math.abs(column.counters.primaryToWorkerMessages - 1) < 0.1, `${column.label}: ${column.counters.primaryToWorkerMessages}`);
      assert.ok(Math.abs(column.counters.workerToPrimaryMessages - 2) < 0.2, `${column.label}: ${column.counters.workerToPrimaryMessages}`);
    }
    // The one difference the public API forces: a net.Socket per connection in our primary, none in node's.
    assert.equal(byCluster.get('node')!.counters.socketsMadeInPrimary, 0);
    assert.equal(byCluster.get('raw')!.counters.socketsMadeInPrimary, 0);
    assert.ok(byCluster.get('ours')!.counters.socketsMadeInPrimary >= 0.9, String(byCluster.get('ours')!.counters.socketsMadeInPrimary));
    assert.match(formatBreakdown(results), /net\.Socket objects made in the primary/);
  } finally {
    fs.rmSync(profileDir, { recursive: true, force: true });
    if (!rawWasThere) fs.rmSync(rawFolder, { recursive: true, force: true });
  }
});
