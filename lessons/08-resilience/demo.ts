// Lesson 8's demo: a supervised cluster keeps serving through a deploy, a
// crash and a broken version. Four workers serve HTTP (app.ts); a client in
// a process of its own (load-client.ts) sends a steady load the whole time;
// the primary goes through the phases below and, at the end, prints what the
// client saw in each: requests sent, answered and failed.
//
//   steady                    nothing happens: the baseline
//   rolling reload            version 2 replaces every worker, one at a time
//   SIGKILL a worker          slot 2's worker is killed mid-request; the supervisor restarts it
//   crash loop in slot 3      slot 3's new worker crashes at start-up, again and again, until the guard stops it
//   broken reload             version 3 cannot start: the reload stops, version 2 keeps serving
//
//   npm run lesson 8 [-- --workers N] [--port P] [--node | --mine]
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Worker } from 'node:cluster';
import cluster from '#cluster';
import { serveApp } from './app';
import type { ClientReport } from './load-client';
import type { Tally } from './load';
import { loadSupervisor, supervisorFolder } from './supervisor-target';
import type { Supervisor } from '../../solutions/08-resilience/supervisor';

const workerCount = Number(process.env.WORKERS ?? 4);
const PHASE_MS = 1000;

if (cluster.isWorker) serveApp();
else void main();

async function main(): Promise<void> {
  const supervisor = startSupervisor();
  const port = await new Promise<number>((resolve) => cluster.once('listening', (_worker, address) => resolve(address.port)));
  await untilReady(supervisor, () => supervisor.readyCount() === workerCount);
  console.log(`${workerCount} workers ready on 127.0.0.1:${port} (the supervisor: ${supervisorFolder()}/supervisor.ts)`);
  console.log('\n== steady');
  const client = fork(path.join(__dirname, 'load-client.ts'), [String(port), 'steady']);
  // The client needs a moment to start (it compiles its TypeScript too): the phase starts when its load does.
  await new Promise((started) => client.once('message', started));
  const phase = (name: string) => {
    console.log(`\n== ${name}`);
    client.send({ phase: name });
  };

  await sleep(PHASE_MS);

  phase('rolling reload');
  const reload = await supervisor.reload({ APP_VERSION: '2' });
  const perWorker = reload.perWorker.length ? Math.round(reload.perWorker.reduce((a, b) => a + b, 0) / reload.perWorker.length) : 0;
  console.log(`reload: ${reload.replaced} workers replaced in ${reload.milliseconds} ms, ${perWorker} ms per worker on average`);

  phase('SIGKILL a worker');
  const victim = supervisor.workerIn(2);
  if (victim) {
    console.log(`killing worker ${victim.id} (slot 2) with SIGKILL`);
    victim.process.kill('SIGKILL');
    await bounded(untilReady(supervisor, () => supervisor.workerIn(2) !== victim && supervisor.readyCount() === workerCount), 'the restart');
  }
  await sleep(PHASE_MS / 2);

  const broken = Math.min(3, workerCount);
  phase(`crash loop in slot ${broken}`);
  // A fault that only this slot's next workers meet (a bad disk, a port in use...): it crashes at start-up.
  process.env.APP_BREAK_SLOT = String(broken);
  supervisor.workerIn(broken)?.process.kill('SIGKILL');
  await bounded(new Promise((resolve) => supervisor.once('crash-loop', resolve)), 'the crash-loop guard');
  delete process.env.APP_BREAK_SLOT;
  await sleep(PHASE_MS / 2);

  phase('broken reload');
  await supervisor.reload({ APP_VERSION: '3', APP_BREAK: 'at-start' });
  await sleep(PHASE_MS / 2);

  const report = await stopClient(client);
  printReport(report);
  await supervisor.stop();
  console.log('\nevery worker drained; the primary exits');
}

/** supervise(), or exit 2 with the message of a bad option. */
function startSupervisor(): Supervisor {
  const { supervise } = loadSupervisor();
  try {
    return supervise(cluster, { workers: workerCount, restartDelay: 100, maxRestarts: 3, restartWindow: 60_000, drainTimeout: 3000 });
  } catch (error) {
    if ((error as Error).name !== 'SupervisorOptionError') throw error;
    console.error((error as Error).message);
    process.exit(2);
  }
}

/** Every wait has an end: after 60 s the demo says what it waited for, and goes on. */
function bounded<T>(promise: Promise<T>, what: string): Promise<T | void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.log(`gave up waiting for ${what} after 60 s`);
      resolve();
    }, 60_000);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Resolves on the first 'ready' after which `done()` holds (at once if it holds now). */
function untilReady(supervisor: Supervisor, done: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (done()) return resolve();
    const check = (_worker: Worker) => {
      if (!done()) return;
      supervisor.off('ready', check);
      resolve();
    };
    supervisor.on('ready', check);
  });
}

function stopClient(client: ChildProcess): Promise<ClientReport> {
  return new Promise((resolve) => {
    client.once('message', (report: ClientReport) => resolve(report));
    client.send({ stop: true });
  });
}

function printReport(report: ClientReport): void {
  const keepAlive = new Map(report.keepAlive);
  const row = (cells: string[]) => console.log(cells.map((cell, i) => (i === 0 ? cell.padEnd(24) : cell.padStart(9))).join(''));
  const numbers = (tally: Tally | undefined) => [tally?.sent ?? 0, tally?.answered ?? 0, tally?.failed ?? 0].map(String);
  console.log('\nwhat the client saw, per phase:');
  row(['', 'fresh connections', '', '', 'keep-alive']);
  row(['phase', 'sent', 'answered', 'failed', 'sent', 'answered', 'failed']);
  for (const [phase, tally] of report.fresh) row([phase, ...numbers(tally), ...numbers(keepAlive.get(phase))]);
  const errors = [...report.fresh, ...report.keepAlive].flatMap(([phase, tally]) => Object.entries(tally.errors).map(([error, count]) => `${phase}: ${count} × ${error}`));
  if (errors.length) console.log(`failures: ${errors.join('; ')}`);
}
