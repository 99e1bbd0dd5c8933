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
import http from 'node:http';
import cluster from '#cluster';
import { forkAndLogEveryEvent, serveLikeExampleA } from '../example-a';
import { runOncePerPolicy } from '../run-once-per-policy';

const workerCount = Number(process.env.WORKERS ?? 4);
const port = Number(process.env.PORT ?? 3000);
const REQUESTS = 200;

if (cluster.isWorker) {
  serveLikeExampleA(port);
} else if (process.env.NODE_CLUSTER_SCHED_POLICY === undefined) {
  void runOncePerPolicy(__filename, ['rr', 'none']);
} else {
  runExampleA();
}

// ------------------------------------------------------------ one run: the primary

function runExampleA(): void {
  const policy = cluster.schedulingPolicy === cluster.SCHED_RR ? 'round-robin (SCHED_RR)' : 'shared handle (SCHED_NONE)';
  console.log(`== ${process.env.NODE_CLUSTER_SCHED_POLICY}: cluster.schedulingPolicy is ${cluster.schedulingPolicy}, ${policy} ==`);

  forkAndLogEveryEvent(workerCount);

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
    stayUntilEveryWorkerHasLeft(workerCount);
    cluster.disconnect();
  });
}

/**
 * Once in a CI run on Node 24, this demo on real node:cluster ended with every
 * worker's 'exit' printed and no 'disconnect': a primary with nothing left to
 * do may end before it has read the end of each worker's channel. So the
 * primary stays up until every worker has said both, for 5 s at the most.
 */
function stayUntilEveryWorkerHasLeft(count: number): void {
  let events = 0;
  const atMost = setTimeout(() => {}, 5_000);
  const onEvent = () => {
    if (++events === 2 * count) clearTimeout(atMost);
  };
  cluster.on('disconnect', onEvent);
  cluster.on('exit', onEvent);
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
