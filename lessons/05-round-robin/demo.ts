// Lesson 5's demo: the article's Example A at full strength. Four workers
// serve HTTP on ONE port; then a burst of requests, each on a fresh
// connection, shows how the connections were spread over the workers.
//
// It does that twice, once per scheduling policy. The policy is read when
// the cluster loads and frozen at the first fork, so one primary cannot show
// both: this file starts itself twice, as a child process, with
// NODE_CLUSTER_SCHED_POLICY=rr, then =none. Set the variable yourself to see
// one policy only.
//
//   npm run lesson 5 [-- --workers N] [--port P] [--node | --mine]
//   NODE_CLUSTER_SCHED_POLICY=none npm run lesson 5
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import cluster from '#cluster';

const workerCount = Number(process.env.WORKERS ?? 4);
const port = Number(process.env.PORT ?? 3000);
const REQUESTS = 200;

if (cluster.isWorker) {
  serveLikeExampleA();
} else if (process.env.NODE_CLUSTER_SCHED_POLICY === undefined) {
  void runOncePerPolicy(['rr', 'none']);
} else {
  runExampleA();
}

// ------------------------------------------------------------ the two runs

/** Starts this file again for each policy, one after the other. */
async function runOncePerPolicy(policies: string[]): Promise<void> {
  let running: ChildProcess | undefined;
  // Each run gets a process group of its own (detached), so that a signal
  // sent to this process reaches the run's primary and its workers at once:
  // Ctrl-C stops everything, and nothing is left behind.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (running?.pid !== undefined && running.exitCode === null) process.kill(-running.pid, signal);
      process.exit(130);
    });
  }
  for (const policy of policies) {
    running = spawn(process.execPath, [...process.execArgv, __filename], {
      stdio: 'inherit',
      detached: true,
      env: { ...process.env, NODE_CLUSTER_SCHED_POLICY: policy },
    });
    const [code] = (await once(running, 'exit')) as [number | null];
    if (code !== 0) {
      process.exitCode = code ?? 1;
      return;
    }
  }
}

// ------------------------------------------------------------ one run: the primary

function runExampleA(): void {
  const policy = cluster.schedulingPolicy === cluster.SCHED_RR ? 'round-robin (SCHED_RR)' : 'shared handle (SCHED_NONE)';
  console.log(`== ${process.env.NODE_CLUSTER_SCHED_POLICY}: cluster.schedulingPolicy is ${cluster.schedulingPolicy}, ${policy} ==`);

  for (let i = 0; i < workerCount; i++) {
    cluster.fork();
  }
  cluster.on('exit', (worker) => console.log(`worker${worker.id} exit.`));
  cluster.on('fork', (worker) => console.log(`fork：worker${worker.id}`));
  cluster.on('disconnect', (worker) => console.log(`worker${worker.id} is disconnected.`));
  cluster.on('listening', (worker, address) => console.log(`worker${worker.id} listening on ${address.address}:${address.port}`));
  cluster.on('online', (worker) => console.log(`worker${worker.id} is online now`));
  cluster.on('message', (worker, message) => console.log(`got the worker${worker.id}'s msg：${message}`));

  for (const worker of Object.values(cluster.workers ?? {})) {
    worker?.send(`hello worker${worker.id}`);
  }

  // A worker that dies before everyone listens (a TODO in your code, say) ends the run.
  let listening = 0;
  cluster.on('exit', (worker, code) => {
    if (listening === workerCount) return;
    console.log(`worker${worker.id} stopped (code ${code}) before every worker listened`);
    cluster.disconnect();
    process.exitCode = 1;
  });
  cluster.on('listening', async (_worker, address) => {
    if (++listening < workerCount) return;
    printSpread(await burst(address.port));
    // Our ending: let the workers go, so that the demo ends by itself.
    cluster.disconnect();
  });
}

/** REQUESTS requests at once, each on a connection of its own. Resolves with "hello worldN" → how many. */
async function burst(sharedPort: number): Promise<Map<string, number>> {
  const answers = await Promise.all(Array.from({ length: REQUESTS }, () => ask(sharedPort)));
  const counts = new Map<string, number>();
  for (const answer of answers) counts.set(answer, (counts.get(answer) ?? 0) + 1);
  return counts;
}

function ask(sharedPort: number): Promise<string> {
  return new Promise((resolve) => {
    // agent: false opens a fresh connection, closed after the answer: every
    // request is a new connection for the primary (or the kernel) to place.
    const request = http.get({ host: '127.0.0.1', port: sharedPort, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve(body));
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve(`failed (${error.code})`));
  });
}

/** One line per worker: its count, and a bar of one # per 4 answers. */
function printSpread(counts: Map<string, number>): void {
  console.log(`${REQUESTS} requests on fresh connections, answered by:`);
  const workers = Object.keys(cluster.workers ?? {}).map((id) => `worker${id}`);
  for (const worker of workers) {
    const count = counts.get(`hello world${worker.slice('worker'.length)}`) ?? 0;
    console.log(`  ${worker.padEnd(8)} ${String(count).padStart(3)} ${'#'.repeat(Math.round(count / 4))}`);
  }
  for (const [answer, count] of counts) {
    if (!answer.startsWith('hello world')) console.log(`  ${answer}: ${count}`);
  }
}

// ------------------------------------------------------------ one run: a worker

function serveLikeExampleA(): void {
  const id = cluster.worker?.id;
  process.on('message', (message) => {
    console.log(`worker${id} got the master msg：${message}`);
  });
  process.send!(`hello master, I am worker${id}`);
  http
    .createServer((request, response) => {
      response.writeHead(200);
      response.end(`hello world${id}`);
    })
    .listen(port, '127.0.0.1');
}
