// Lesson 6's demo: measure the balancer. Four workers serve HTTP on one port.
// A client in a process of its own (demo-client.ts) opens a fixed number of
// fresh connections, after a warm-up of half as many; then the primary prints
// how the requests were spread over the workers and how much CPU it spent
// itself on each connection, read from process.cpuUsage().
//
// As in lesson 5, it does that once per scheduling policy: this file starts
// itself again as a child process with NODE_CLUSTER_SCHED_POLICY=rr, then
// =none (the policy is read when the cluster loads). Set the variable
// yourself to measure one policy only.
//
//   npm run lesson 6 [-- --workers N] [--port P] [--node | --mine]
//   CONNECTIONS=5000 npm run lesson 6
import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import cluster from '#cluster';
import { runOncePerPolicy } from '../run-once-per-policy';
import type { ClientReport } from './demo-client';

const workerCount = Number(process.env.WORKERS ?? 4);
/** 0: any free port (the client learns it from the 'listening' event). */
const port = Number(process.env.PORT ?? 0);
/** How many connections are measured, and how many go first, measured apart. */
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 2000);
const WARMUP = Math.round(CONNECTIONS / 2);

if (cluster.isWorker) {
  serve();
} else if (process.env.NODE_CLUSTER_SCHED_POLICY === undefined) {
  void runOncePerPolicy(__filename, ['rr', 'none']);
} else {
  measure();
}

// ------------------------------------------------------------ one run: the primary

function measure(): void {
  const policy = cluster.schedulingPolicy === cluster.SCHED_RR ? 'round-robin (SCHED_RR)' : 'shared handle (SCHED_NONE)';
  console.log(`== ${process.env.NODE_CLUSTER_SCHED_POLICY}: ${policy}, ${workerCount} workers ==`);
  for (let i = 0; i < workerCount; i++) cluster.fork();

  let client: ChildProcess | undefined;
  let over = false;
  /** A run that stops early (a TODO in your code, say): the client goes, the workers are let go. */
  function stopEarly(why: string): void {
    if (over) return;
    over = true;
    console.log(`${why} before the run was over`);
    client?.kill();
    cluster.disconnect();
    process.exitCode = 1;
  }
  cluster.on('exit', (worker, code, signal) => stopEarly(`worker${worker.id} stopped (code ${code}, signal ${signal})`));

  let listening = 0;
  cluster.on('listening', (_worker, address) => {
    if (++listening < workerCount) return;
    console.log(`${workerCount} workers listening on 127.0.0.1:${address.port}`);
    client = startClient(address.port, (report, cpu) => {
      over = true;
      printReport(report, cpu);
      cluster.disconnect(); // let the workers go: the demo ends by itself
    });
    client.on('exit', (code, signal) => {
      if (code !== 0) stopEarly(`the client stopped (code ${code}, signal ${signal})`);
    });
  });
}

// #region cpu-clock
/**
 * Forks demo-client.ts and reads the primary's CPU clock at three moments:
 * before the warm-up, after it, and when the client is done. Between two
 * readings the primary does nothing but balance the load.
 */
function startClient(sharedPort: number, done: (report: ClientReport, cpu: NodeJS.CpuUsage) => void): ChildProcess {
  const client = fork(path.join(__dirname, 'demo-client.ts'), [String(sharedPort), String(WARMUP), String(CONNECTIONS)]);
  let since = process.cpuUsage();
  client.on('message', (message: { ready?: true; warmedUp?: true; done?: true }) => {
    if (message.ready) {
      since = process.cpuUsage();
      client.send({ go: true });
    } else if (message.warmedUp) {
      const warmup = process.cpuUsage(since); // the CPU used since `since`
      console.log(`warm-up: ${WARMUP} connections, primary CPU ${perConnection(warmup, WARMUP)} per connection (not counted)`);
      since = process.cpuUsage();
      client.send({ go: true });
    } else if (message.done) {
      done(message as ClientReport, process.cpuUsage(since));
    }
  });
  return client;
}

/** Microseconds of CPU (user plus system) per connection, e.g. "98.2 µs". */
function perConnection(cpu: NodeJS.CpuUsage, connections: number): string {
  return `${((cpu.user + cpu.system) / connections).toFixed(1)} µs`;
}
// #endregion cpu-clock

// ------------------------------------------------------------ the report

function printReport({ answers, seconds }: ClientReport, cpu: NodeJS.CpuUsage): void {
  console.log(`${CONNECTIONS} requests on fresh connections, answered by:`);
  const counts = Object.keys(cluster.workers ?? {}).map((id) => answers[`worker${id}`] ?? 0);
  for (const [index, id] of Object.keys(cluster.workers ?? {}).entries()) {
    const count = counts[index];
    const bar = '#'.repeat(Math.round((count / CONNECTIONS) * 50));
    console.log(`  worker${id.padEnd(3)} ${String(count).padStart(5)} ${bar}`);
  }
  for (const [answer, count] of Object.entries(answers)) {
    if (!/^worker\d+$/.test(answer)) console.log(`  ${answer}: ${count}`);
  }
  // #region spread-and-cpu
  // The spread: the busiest worker's count over the idlest one's. 1.00 is a
  // perfectly even spread; a worker that got nothing makes it infinite.
  const busiest = Math.max(...counts);
  const idlest = Math.min(...counts);
  console.log(`spread (busiest / idlest worker): ${idlest === 0 ? '∞' : (busiest / idlest).toFixed(2)}`);
  // process.cpuUsage() counts microseconds of CPU, in user space and in the
  // kernel (accept, sendmsg, close), whether or not the process had to wait
  // for a core: what this primary cost, not how long it took.
  const user = perConnection({ user: cpu.user, system: 0 }, CONNECTIONS);
  const system = perConnection({ user: 0, system: cpu.system }, CONNECTIONS);
  console.log(`primary CPU per connection: ${perConnection(cpu, CONNECTIONS)} (user ${user} + system ${system})`);
  // #endregion spread-and-cpu
  // Wall time is printed for completeness only: on a machine whose cores are
  // shared by the client, the primary and the workers, it says little about
  // the cluster (see the lesson, "Measuring honestly").
  console.log(`wall time: ${seconds.toFixed(2)} s, ${Math.round(CONNECTIONS / seconds)} requests/s`);
}

// ------------------------------------------------------------ one run: a worker

function serve(): void {
  const id = cluster.worker?.id;
  http
    .createServer((_request, response) => {
      response.end(`worker${id}`);
    })
    .listen(port, '127.0.0.1');
}
