// Lesson 1's tests. Each name starts with the README step it checks.
import assert from 'node:assert/strict';
import path from 'node:path';
import { once } from 'node:events';
import type { Worker } from 'node:cluster';
import { guardedTest } from '../../../testing/guard';
import { loadCluster } from '../../../testing/target';
import { runProgram, describeOutput } from '../../../testing/program';
import { assertBefore, assertSameLines } from '../../../testing/lines';

const reportWorker = path.join(__dirname, 'fixtures', 'report-worker.ts');

/**
 * The one JSON line a report-worker prints (it runs with silent: true). Call
 * it right after fork(), before awaiting anything: it listens for the exit.
 */
async function reportOf(worker: Worker): Promise<Record<string, unknown>> {
  let output = '';
  worker.process.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  let errors = '';
  worker.process.stderr!.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  const [code] = await once(worker.process, 'exit');
  assert.equal(code, 0, `worker ${worker.id} failed:\n${errors}`);
  return JSON.parse(output);
}

guardedTest('step 1: the primary knows it is the primary', {}, async () => {
  const cluster = loadCluster();
  assert.equal(cluster.isPrimary, true);
  assert.equal(cluster.isMaster, true, 'isMaster is the old name of isPrimary');
  assert.equal(cluster.isWorker, false);
  assert.equal(cluster.worker, undefined, 'cluster.worker exists only in a worker');
  assert.equal(typeof cluster.workers, 'object', 'cluster.workers exists in the primary');
});

guardedTest('step 1-4: a forked process knows it is a worker, and which one', {}, async () => {
  const cluster = loadCluster();
  cluster.setupPrimary({ exec: reportWorker, args: [], silent: true });
  const workers = [cluster.fork(), cluster.fork()];
  const reports = await Promise.all(workers.map(reportOf));
  for (const [index, worker] of workers.entries()) {
    const report = reports[index];
    assert.equal(report.isPrimary, false);
    assert.equal(report.isMaster, false);
    assert.equal(report.isWorker, true);
    assert.equal(report.id, worker.id, 'the worker sees the id the primary gave it');
    assert.equal(report.hasWorkers, false, 'cluster.workers exists only in the primary');
  }
});

guardedTest('step 2-3: setup fires once per setupPrimary() and per fork(), fork once per fork()', {}, async () => {
  const result = await runProgram('lessons/01-fork/test/fixtures/setup-and-fork-events.ts');
  assert.equal(result.code, 0, `the program failed${describeOutput(result)}`);
  const setupLines = Array(5).fill('setup exec=report-worker.ts');
  const forkLines = ['fork 1', 'fork 2', 'fork 3', 'fork 4'];
  const summary = ['ids 1 2 3 4', 'keys 1 2 3 4', 'same objects true', 'pids true'];
  assertSameLines(result, [...setupLines, ...forkLines, ...summary], 'events');
  // Both events come a tick after the call: after everything the program
  // does synchronously, including adding the listeners.
  for (const fork of forkLines) assertBefore(result, 'pids true', fork);
  assert.ok(result.lines.indexOf('setup exec=report-worker.ts') > result.lines.indexOf('pids true'));
});

guardedTest('step 2: settings start from how the primary was started; setupMaster is an alias', {}, async () => {
  const cluster = loadCluster();
  cluster.setupMaster({ exec: reportWorker, silent: true });
  assert.equal(cluster.settings.exec, reportWorker);
  assert.deepEqual(cluster.settings.execArgv, process.execArgv, 'workers inherit the loader (execArgv)');
  assert.equal(cluster.settings.silent, true);
  assert.ok(Array.isArray(cluster.settings.args));
});

guardedTest('step 3-4: fork() returns a Worker with a ChildProcess; cluster.workers holds it', {}, async () => {
  const cluster = loadCluster();
  cluster.setupPrimary({ exec: reportWorker, silent: true });
  const worker = cluster.fork();
  const { Worker: WorkerClass } = cluster as unknown as { Worker: new (...args: never[]) => Worker };
  assert.ok(worker instanceof WorkerClass, 'fork() returns a cluster.Worker');
  assert.ok(Number.isInteger(worker.id) && worker.id > 0, 'ids are positive whole numbers');
  assert.equal(typeof worker.process.pid, 'number', 'worker.process is the ChildProcess');
  assert.equal(cluster.workers?.[worker.id], worker, 'cluster.workers is keyed by id');
  assert.equal(worker.exitedAfterDisconnect, undefined);
  const next = cluster.fork();
  assert.equal(next.id, worker.id + 1, 'each fork takes the next id');
  await Promise.all([reportOf(worker), reportOf(next)]);
});

guardedTest('step 3-4: fork() and setupPrimary() work taken off the cluster, and each name can be imported alone', {}, async () => {
  const result = await runProgram('lessons/01-fork/test/fixtures/named-exports.ts');
  assert.equal(result.code, 0, `the program failed${describeOutput(result)}`);
  assertSameLines(
    result,
    [
      'worker 1: isWorker true, fork absent, worker exported',
      'worker 2: isWorker true, fork absent, worker exported',
      'worker 1 exited with 0',
      'worker 2 exited with 0',
      'settings.args named',
    ],
    'a program that imports fork, setupPrimary, isPrimary... by name and calls them detached',
  );
});

guardedTest('step 3: new cluster.Worker() with no options is an empty worker; fork() fills one in', {}, async () => {
  const cluster = loadCluster();
  // (node's typings leave out `state`: it is documented nowhere, but every Worker has one.)
  type WithState = Worker & { state: string };
  const { Worker: WorkerClass } = cluster as unknown as { Worker: new (options?: object) => WithState };
  const empty = new WorkerClass();
  assert.equal(empty.id, 0, 'an empty worker has id 0');
  assert.equal(empty.state, 'none');
  assert.equal(empty.process, undefined, 'an empty worker has no process');
  assert.equal(empty.exitedAfterDisconnect, undefined);
  assert.equal(new WorkerClass({ id: 3, state: 'online' }).state, 'online', 'the state given is kept');
  cluster.setupPrimary({ exec: reportWorker, args: [], silent: true });
  const forked = cluster.fork() as WithState;
  assert.ok(forked.id > 0 && forked.state === 'none' && typeof forked.process.pid === 'number');
  await once(forked.process, 'exit');
});

guardedTest('step 3-4: exec, args, env and execArgv reach the worker', {}, async () => {
  const cluster = loadCluster();
  // Node 24 and later start each test file with an inspector option, and
  // under one node:cluster adds the worker's own port (step 5): left out here.
  const execArgv = process.execArgv.filter((option) => !/--inspect|--debug-port/.test(option));
  cluster.setupPrimary({ exec: reportWorker, args: ['--flavour', 'plain'], execArgv, silent: true });
  const report = await reportOf(cluster.fork({ COLOR: 'blue' }));
  assert.deepEqual(report.args, ['--flavour', 'plain']);
  assert.equal(report.color, 'blue', 'fork(env) adds to the environment');
  assert.deepEqual(report.execArgv, execArgv, 'the worker runs TypeScript the way the primary does');
});

guardedTest('step 4: cluster.worker in a worker is the worker itself, with the global process', {}, async () => {
  const cluster = loadCluster();
  cluster.setupPrimary({ exec: reportWorker, args: [], silent: true });
  const report = await reportOf(cluster.fork());
  assert.equal(report.processIsGlobal, true, 'cluster.worker.process is the global process');
});

guardedTest('step 1-4: the demo prints "I am master", then one line per worker', {}, async () => {
  const result = await runProgram('lessons/01-fork/demo.ts', { env: { WORKERS: '4' } });
  assert.equal(result.code, 0, `the demo failed${describeOutput(result)}`);
  const workerLines = [1, 2, 3, 4].map((id) => `I am worker #${id}`);
  assertSameLines(result, ['I am master', 'cluster.workers has ids 1, 2, 3, 4', ...workerLines], 'the demo');
  for (const line of workerLines) assertBefore(result, 'I am master', line);
});
