// The server the benchmark loads: an HTTP hello-world, in one process or in a
// cluster. ONE file for every configuration, started by scripts/bench.ts as
//
//   node --expose-gc --require tsx/cjs scripts/bench/server.ts
//
// with these environment variables (forked workers inherit all of them):
//   CLUSTER_TARGET             node | solutions/06-measure (see testing/cluster.ts)
//   NODE_CLUSTER_SCHED_POLICY  rr | none, read by the cluster when it loads
//   BENCH_WORKERS              how many workers to fork; 0 = no cluster, this
//                              process serves the requests itself
//   BENCH_REUSE_PORT=1         the workers listen with { reusePort: true } (Node
//                              22.12 and later): each binds its own socket and
//                              the primary is not asked, so it hears no
//                              'listening'; the workers tell it themselves
//
// How the bench talks to the primary (the control channel):
// the primary reads one JSON command per line on stdin and answers with one
// JSON line on stdout that starts with "@bench ". The workers share the
// primary's stdout (cluster workers inherit its file descriptors), so the
// marker is how the bench tells our answers from anything else printed there.
// We chose stdin/stdout over a control HTTP endpoint so that the primary has
// no second listening socket and no extra connections: every connection it
// sees during a measurement belongs to the load.
//
//   → {"id":1,"cmd":"stats","cpuAt":"end","gc":true}
//   ← @bench {"id":1,"cpu":{...},"memory":{...},"workers":[{id,pid,requests,connections,cpu}]}
//   → {"id":2,"cmd":"stop"}            (stdin closing means the same)
//
// Asking the workers for their counts costs the primary a little CPU (an IPC
// round trip each). The bench keeps that cost out of what it measures: the
// reading before a load takes the primary's process.cpuUsage() at the END,
// after the workers have answered ("cpuAt":"end"), and the reading after the
// load takes it at the START, before asking them ("cpuAt":"start"). Between
// the two CPU readings there is the load and nothing else.
import http from 'node:http';
import net from 'node:net';
import readline from 'node:readline';
import cluster from '#cluster';
import type { ProbeCounts } from './probe';

/** What a request-serving process (a worker, or the single process) counts. */
export interface ServingCounts {
  id: number;
  pid: number;
  requests: number;
  connections: number;
  /** this process's own process.cpuUsage(), in microseconds */
  cpu: NodeJS.CpuUsage;
  /** what it wrote on its IPC channel, when the breakdown run's probe is loaded (probe.ts) */
  probe?: ProbeCounts;
}

/** The primary's answer to a "stats" command. */
export interface StatsReply {
  id: number;
  cpu: NodeJS.CpuUsage;
  memory: NodeJS.MemoryUsage;
  workers: ServingCounts[];
  /** the primary's IPC and socket counters, when the breakdown run's probe is loaded (probe.ts) */
  probe?: ProbeCounts;
  /** the monotonic clock when the CPU was read, µs: a CPU profile's samples use the same clock */
  clockMicros?: number;
}

/** The first line the primary prints once every worker listens. */
export interface ReadyLine {
  ready: true;
  port: number;
  pid: number;
  workers: number;
  /** cluster.schedulingPolicy as the cluster sees it (1 = none, 2 = rr); null without cluster */
  schedulingPolicy: number | null;
}

const CONTROL_MARKER = '@bench ';
/** Tag on our own worker ↔ primary messages, so nothing else is mistaken for them. */
const COUNT_TAG = 'bench:count';
const LISTENING_TAG = 'bench:listening';
const reusePort = process.env.BENCH_REUSE_PORT === '1';

const requestedWorkers = Number(process.env.BENCH_WORKERS ?? '0');

// --- the part every serving process runs -----------------------------------

const counts = { requests: 0, connections: 0 };

function startHelloServer(port: number, onListening: (port: number) => void): http.Server {
  const server = http.createServer((request, response) => {
    counts.requests++;
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('hello world\n');
  });
  // 'connection' fires for every socket the server gets, however it got it
  // (accepted itself, or handed in by a round-robin primary).
  server.on('connection', () => counts.connections++);
  const listening = () => onListening((server.address() as net.AddressInfo).port);
  if (reusePort && port !== 0) {
    // (@types/node 20 does not know the option yet.)
    server.listen({ port, host: '127.0.0.1', reusePort: true } as net.ListenOptions, listening);
  } else {
    server.listen(port, '127.0.0.1', listening);
  }
  return server;
}

function myCounts(id: number): ServingCounts {
  return { id, pid: process.pid, ...counts, cpu: process.cpuUsage(), probe: probeCounts() };
}

/** The probe's counters (probe.ts), when the breakdown run loaded it. */
function probeCounts(): ProbeCounts | undefined {
  return (globalThis as { __benchProbe?: () => ProbeCounts }).__benchProbe?.();
}

/** The monotonic clock in µs, the clock of a CPU profile's samples. */
function clockMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

// --- worker -------------------------------------------------------------------

function runWorker(): void {
  const port = Number(process.env.BENCH_PORT);
  startHelloServer(port, () => {
    if (reusePort) process.send!({ tag: LISTENING_TAG });
  });
  process.on('message', (message: unknown) => {
    if (isTagged(message, COUNT_TAG)) {
      process.send!({ tag: COUNT_TAG, counts: myCounts(cluster.worker!.id) });
    }
  });
}

function isTagged(message: unknown, tag: string): boolean {
  return typeof message === 'object' && message !== null && (message as { tag?: unknown }).tag === tag;
}

// --- primary ------------------------------------------------------------------

async function runPrimary(): Promise<void> {
  const askCounts = requestedWorkers === 0 ? askMyOwnCounts : await startWorkers(requestedWorkers);
  listenForCommands(askCounts);
}

/** One process: it serves, so it reports its own counts as worker 0. */
async function askMyOwnCounts(): Promise<ServingCounts[]> {
  return [myCounts(0)];
}

/** Forks the workers, waits until each one listens, prints the ready line. */
async function startWorkers(workerCount: number): Promise<() => Promise<ServingCounts[]>> {
  const port = await findFreePort();
  let listening = 0;
  const allListening = new Promise<void>((resolve) => {
    const oneMore = () => {
      if (++listening === workerCount) resolve();
    };
    if (!reusePort) cluster.on('listening', oneMore);
    else cluster.on('message', (_worker, message: unknown) => isTagged(message, LISTENING_TAG) && oneMore());
  });
  cluster.on('exit', (worker, code, signal) => {
    // A worker dying under load would make every figure wrong: stop loudly.
    if (!stopping) fail(`worker ${worker.id} exited (code ${code}, signal ${signal})`);
  });
  // The breakdown run profiles the primary only: the workers start without --cpu-prof.
  if (process.execArgv.some((option) => option.startsWith('--cpu-prof'))) {
    cluster.setupPrimary({ execArgv: process.execArgv.filter((option) => !option.startsWith('--cpu-prof')) });
  }
  for (let i = 0; i < workerCount; i++) cluster.fork({ BENCH_PORT: String(port) });
  await allListening;
  announceReady(port, workerCount, cluster.schedulingPolicy);
  return askWorkersForCounts;
}

/** Lets the kernel pick a free port on 127.0.0.1, then gives it back for the workers to share. */
function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function askWorkersForCounts(): Promise<ServingCounts[]> {
  const workers = Object.values(cluster.workers ?? {}).filter((worker) => worker !== undefined);
  return Promise.all(
    workers.map(
      (worker) =>
        new Promise<ServingCounts>((resolve) => {
          const onMessage = (message: unknown): void => {
            if (!isTagged(message, COUNT_TAG)) return;
            worker.off('message', onMessage);
            resolve((message as { counts: ServingCounts }).counts);
          };
          worker.on('message', onMessage);
          worker.send({ tag: COUNT_TAG });
        }),
    ),
  ).then((all) => all.sort((a, b) => a.id - b.id));
}

function announceReady(port: number, workers: number, schedulingPolicy: number | null): void {
  const line: ReadyLine = { ready: true, port, pid: process.pid, workers, schedulingPolicy };
  reply(line);
}

function reply(value: object): void {
  process.stdout.write(CONTROL_MARKER + JSON.stringify(value) + '\n');
}

function listenForCommands(askCounts: () => Promise<ServingCounts[]>): void {
  const commands = readline.createInterface({ input: process.stdin });
  commands.on('line', (line) => {
    let command: { id: number; cmd: string; gc?: boolean; cpuAt?: 'start' | 'end' };
    try {
      command = JSON.parse(line);
    } catch {
      return fail(`not a command: ${line}`);
    }
    if (command.cmd === 'stop') return stop(0);
    if (command.cmd === 'stats') return void answerStats(command, askCounts);
    fail(`unknown command: ${line}`);
  });
  // The bench went away (finished, crashed or was killed): do not outlive it.
  commands.on('close', () => stop(0));
}

async function answerStats(
  command: { id: number; gc?: boolean; cpuAt?: 'start' | 'end' },
  askCounts: () => Promise<ServingCounts[]>,
): Promise<void> {
  const cpuAtStart = command.cpuAt === 'start' ? process.cpuUsage() : undefined;
  const atStart = cpuAtStart && { probe: probeCounts(), clockMicros: clockMicros() };
  const workers = await askCounts();
  // --expose-gc makes gc() available; a heap figure taken after a full
  // collection shows what is really kept, not what is merely not yet freed.
  const gc = (globalThis as { gc?: () => void }).gc;
  if (command.gc && gc) gc();
  const memory = process.memoryUsage();
  const answer: StatsReply = {
    id: command.id,
    memory,
    workers,
    cpu: cpuAtStart ?? process.cpuUsage(),
    probe: atStart ? atStart.probe : probeCounts(),
    clockMicros: atStart ? atStart.clockMicros : clockMicros(),
  };
  reply(answer);
}

let stopping = false;

function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
  process.exit(code);
}

function fail(message: string): void {
  process.stderr.write(`bench server ${process.pid}: ${message}\n`);
  stop(1);
}

// --- which side are we on ------------------------------------------------------

if (requestedWorkers > 0 && cluster.isWorker) {
  runWorker();
} else if (requestedWorkers === 0) {
  // No cluster: this process is the whole server (the cluster module is
  // loaded because the import is static, but nothing is forked).
  startHelloServer(0, (port) => announceReady(port, 0, null));
  void runPrimary();
} else {
  void runPrimary();
}
