// Lesson 6's load: the client that demo.ts measures its cluster with. It runs
// in a process of its own (demo.ts starts it with child_process.fork), never
// inside the primary: a client in the primary would spend the primary's CPU,
// and the primary's CPU is what the demo measures.
//
// It sends GETs to 127.0.0.1:PORT, each on a fresh connection, at most
// CONCURRENCY at a time: first WARMUP of them, then CONNECTIONS, whose
// answers ("worker3") it tallies. Before each batch it waits for the primary
// to read its CPU clock. It talks to demo.ts over the IPC channel that fork()
// opens:
//
//   client → primary   { ready: true }              about to warm up
//   primary → client   { go: true }                 the primary has read its CPU clock
//   client → primary   { warmedUp: true }           the warm-up is over
//   primary → client   { go: true }                 ... read it again
//   client → primary   { done: true, answers, seconds }
import http from 'node:http';

const CONCURRENCY = 10;

/** What demo.ts receives once the measured connections are done. */
export interface ClientReport {
  done: true;
  /** "worker3" → how many requests it answered; a failed request counts as "failed (CODE)" */
  answers: Record<string, number>;
  /** wall-clock seconds the measured connections took */
  seconds: number;
}

// If the primary goes (Ctrl-C, a crash), so do we: nobody is left to measure.
process.once('disconnect', () => process.exit(1));
void main();

async function main(): Promise<void> {
  const [port, warmup, connections] = process.argv.slice(2).map(Number);
  await ask({ ready: true });
  await sendRequests(port, warmup);
  await ask({ warmedUp: true });
  const started = process.hrtime.bigint();
  const answers = await sendRequests(port, connections);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const report: ClientReport = { done: true, answers: Object.fromEntries(answers), seconds };
  // Our work is done: leave once the report is out (the channel kept us alive).
  process.send!(report, () => process.exit(0));
}

/** Tells the primary where we are, and waits for its go. */
function ask(message: object): Promise<void> {
  return new Promise((go) => {
    process.once('message', () => go());
    process.send!(message);
  });
}

/** `total` GETs, CONCURRENCY at a time; resolves with each answer and how often it came. */
async function sendRequests(port: number, total: number): Promise<Map<string, number>> {
  const answers = new Map<string, number>();
  let sent = 0;
  async function lane(): Promise<void> {
    while (sent < total) {
      sent++;
      const answer = await get(port);
      answers.set(answer, (answers.get(answer) ?? 0) + 1);
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return answers;
}

function get(port: number): Promise<string> {
  return new Promise((resolve) => {
    // agent: false: a connection of its own, closed after the answer
    // (Connection: close). Every request is a new connection for the primary
    // (or, under the shared handle, the kernel) to place.
    const request = http.get({ host: '127.0.0.1', port, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk) => (body += chunk));
      response.on('end', () => resolve(body));
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve(`failed (${error.code})`));
  });
}
