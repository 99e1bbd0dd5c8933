// Two questions learners ask about leaving, answered by running this file on
// any target (CLUSTER_TARGET=node, solutions/04-worker-methods, your cluster):
//
//   1. What keeps a worker alive when it has nothing to do?
//   2. Is a message sent just before disconnect() delivered?
//
// The primary forks one worker per case below, and prints what each did.
//   CLUSTER_TARGET=node node --require tsx/cjs lessons/04-worker-methods/last-words.ts
import { spawn, type ChildProcess } from 'node:child_process';
import cluster from '#cluster';

const CASES = {
  // A worker that has no server, no timer, nothing: is it still there 500 ms later?
  idle: () => {},
  // A short message, then disconnect() at once: does the primary get it?
  'short message, then disconnect()': () => {
    cluster.worker!.send('last words');
    cluster.worker!.disconnect();
  },
  // The same with a message of 1 MB, far more than the pipe holds at once.
  '1 MB message, then disconnect()': () => {
    cluster.worker!.send('x'.repeat(1 << 20), (error: Error | null) => error && console.log(`  send failed: ${error.message}`));
    cluster.worker!.disconnect();
  },
  // The same 1 MB, then the channel closed directly, as a plain child process would.
  '1 MB message, then process.disconnect()': () => {
    process.send!('x'.repeat(1 << 20), (error: Error | null) => error && console.log(`  send failed: ${error.message}`));
    process.disconnect();
  },
};
type Case = keyof typeof CASES;

if (cluster.isPrimary) {
  void main();
} else {
  CASES[process.env.CASE as Case]();
  console.log('ran'); // the primary waits for this line (start-up takes a while under load)
}

async function main(): Promise<void> {
  // Not a cluster worker: a plain child with an IPC channel, as fork() makes,
  // running a one-line program with or without a listener on `process`.
  const programs = {
    'no listener': '',
    "a 'message' listener": "process.on('message', () => {});",
    "a 'disconnect' listener": "process.on('disconnect', () => {});",
  };
  for (const [name, program] of Object.entries(programs)) {
    const child = spawn(process.execPath, ['-e', `${program} console.log('ran');`], { stdio: ['inherit', 'pipe', 'inherit', 'ipc'] });
    await hasRun(child);
    const ended = await endsWithin(child, 1000);
    console.log(`plain child, ${name}: ${ended ? 'exits by itself' : 'still running 1 s later'}`);
    if (!ended) child.disconnect();
    await endsWithin(child, 2000);
  }
  cluster.setupPrimary({ silent: true });
  for (const name of Object.keys(CASES) as Case[]) {
    const worker = cluster.fork({ CASE: name });
    const seen: string[] = [];
    worker.on('message', (message: string) => seen.push(`message (${message.length > 20 ? `${message.length} characters` : message})`));
    worker.on('disconnect', () => seen.push('disconnect'));
    await hasRun(worker.process as ChildProcess);
    const ended = await endsWithin(worker.process as ChildProcess, 1000);
    if (!ended) {
      seen.push('still running 1 s later');
      worker.disconnect();
      await endsWithin(worker.process as ChildProcess, 2000);
    }
    console.log(`worker, ${name}: ${seen.join(', ')}, exit`);
  }
}

/** Resolves once the child has printed 'ran': its program has run to the end. */
function hasRun(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.stdout!.setEncoding('utf8').on('data', (text: string) => text.includes('ran') && resolve());
  });
}

function endsWithin(child: ChildProcess, milliseconds: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), milliseconds);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
