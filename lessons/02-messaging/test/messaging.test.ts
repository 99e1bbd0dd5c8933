// Lesson 2's tests of messages between the primary and its workers. This
// test process is the primary; its workers run fixtures/messaging-worker.ts.
// Each name starts with the README step it checks.
import assert from 'node:assert/strict';
import path from 'node:path';
import net from 'node:net';
import { once } from 'node:events';
import { isDeepStrictEqual } from 'node:util';
import type { Cluster, Worker } from 'node:cluster';
import { guardedTest } from '../../../testing/guard';
import { loadCluster } from '../../../testing/target';

const messagingWorker = path.join(__dirname, 'fixtures', 'messaging-worker.ts');

/**
 * A forked worker and what its Worker object received. Workers share this
 * process's terminal (no silent: true: a pipe nobody reads would keep this
 * process alive when a starter's fork() throws after starting the child).
 * A worker whose cluster fails to load says why (see the fixture), and the
 * test waiting for it fails with that reason.
 */
class WatchedWorker {
  /** every 'message' event of the Worker, with all its arguments */
  readonly events: unknown[][] = [];
  /** resolves once the process has exited */
  readonly exited: Promise<void>;
  private failure = '';
  private hasExited = false;
  private wake: () => void = () => {};

  constructor(readonly worker: Worker) {
    worker.on('message', (...args: unknown[]) => {
      if (!isLoadFailure(args[0])) this.events.push(args);
      this.wake();
    });
    // Straight from the process: the Worker may be the very thing that failed.
    worker.process.on('message', (message: unknown) => {
      if (isLoadFailure(message)) this.failure = message.error;
      this.wake();
    });
    this.exited = once(worker.process, 'exit').then(() => {
      this.hasExited = true;
      this.wake();
    });
  }

  /** The first `count` messages, once they have arrived. Fails if the worker dies first. */
  async received(count: number): Promise<unknown[]> {
    while (this.events.length < count) {
      if (this.failure) throw new Error(`worker ${this.worker.id} could not load its cluster:\n${this.failure}`);
      if (this.hasExited) {
        const got = `${this.events.length} of the ${count} message(s) the test waited for`;
        throw new Error(`worker ${this.worker.id} exited after ${got}`);
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
    return this.events.slice(0, count).map(([message]) => message);
  }

  /** Every message up to the first that `isLast` accepts, once it has arrived. */
  async receivedUntil(isLast: (message: unknown) => boolean): Promise<unknown[]> {
    let count = 1;
    while (!isLast((await this.received(count))[count - 1])) count++;
    return this.received(count);
  }

  async stop(): Promise<void> {
    if (this.worker.process.exitCode === null && this.worker.process.signalCode === null) this.worker.process.kill();
    await this.exited;
  }
}

/** What the fixture sends, before anything else, when its cluster throws as it loads. */
function isLoadFailure(message: unknown): message is { op: 'failed-to-load'; error: string } {
  return (message as { op?: string } | null)?.op === 'failed-to-load';
}

function forkWorkers(cluster: Cluster, count: number, serialization: 'json' | 'advanced' = 'json'): WatchedWorker[] {
  cluster.setupPrimary({ exec: messagingWorker, args: [], silent: false, serialization });
  return Array.from({ length: count }, () => new WatchedWorker(cluster.fork()));
}

/** Runs `body` with `workers`, then stops them all, whatever happened. */
async function using(workers: WatchedWorker[], body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } finally {
    await Promise.all(workers.map((watched) => watched.stop()));
  }
}

/** Adds a cluster listener for the length of `body`. */
async function listening(
  cluster: Cluster,
  event: string,
  listener: (...args: any[]) => void,
  body: () => Promise<void>,
): Promise<void> {
  cluster.on(event, listener);
  try {
    await body();
  } finally {
    cluster.off(event, listener);
  }
}

/** Node's Worker has a `state` that @types/node does not declare. */
const stateOf = (worker: Worker) => (worker as unknown as { state: string }).state;

/** The report a fixture worker sends for { op: 'report' }. */
interface Report {
  op: 'report';
  process: unknown[];
  worker: unknown[];
  state: string;
}

const isReport = (message: unknown): message is Report => (message as Report | null)?.op === 'report';

guardedTest("step 1: each worker echoes what the primary sends; message events carry node's arguments", {}, async () => {
  const cluster = loadCluster();
  const clusterEvents: unknown[][] = [];
  const workers = forkWorkers(cluster, 2);
  await listening(cluster, 'message', (...args: unknown[]) => clusterEvents.push(args), () =>
    using(workers, async () => {
      for (const { worker } of workers) worker.send(`hello worker${worker.id}`);
      for (const watched of workers) {
        const id = watched.worker.id;
        assert.deepEqual(await watched.received(1), [`hello worker${id}`], `worker ${id} sends back what it got`);
        const [event] = watched.events;
        assert.deepEqual(
          event,
          [`hello worker${id}`, undefined],
          "node:cluster calls worker.on('message') with two arguments: the message, and the handle (undefined when none came)",
        );
      }
      for (const { worker } of workers) {
        const fromThisWorker = clusterEvents.filter(([from]) => from === worker);
        assert.deepEqual(
          fromThisWorker,
          [[worker, `hello worker${worker.id}`, undefined]],
          "node:cluster calls cluster.on('message') once per message, with (worker, message, handle): the very Worker first",
        );
      }
    }),
  );
});

guardedTest('step 1: many messages keep their order, per worker', {}, async () => {
  const cluster = loadCluster();
  const workers = forkWorkers(cluster, 2);
  const count = 300;
  await using(workers, async () => {
    for (let i = 0; i < count; i++) {
      for (const { worker } of workers) worker.send({ n: i, to: worker.id });
    }
    for (const watched of workers) {
      const expected = Array.from({ length: count }, (_, i) => ({ n: i, to: watched.worker.id }));
      assert.deepEqual(await watched.received(count), expected, 'one channel delivers its messages in the order they were sent');
    }
  });
});

guardedTest('step 1: the send callback runs once the message is sent, on both sides', {}, async () => {
  const cluster = loadCluster();
  const workers = forkWorkers(cluster, 1);
  const [watched] = workers;
  await using(workers, async () => {
    let returned: boolean | undefined;
    const sent = new Promise((resolve) => (returned = watched.worker.send('hi there', resolve)));
    assert.equal(returned, true, 'send() returns true: the channel is open, and not backed up');
    // The long form: send(message, handle, options, callback), as in process.send().
    const sentLong = new Promise((resolve) => {
      watched.worker.send({ op: 'send-with-callback' }, undefined, {}, resolve);
    });
    assert.equal(await sent, null, 'worker.send(message, callback): the callback gets null once the message is sent');
    assert.equal(await sentLong, null, 'worker.send(message, undefined, {}, callback): the callback gets null too');
    assert.deepEqual(
      await watched.received(3),
      ['hi there', 'first message', { op: 'callback', error: null }],
      "the worker's cluster.worker.send(message, callback) ran its callback after sending",
    );
  });
});

guardedTest('step 1: sending to a worker that has exited reports an error, and the primary goes on', {}, async () => {
  const cluster = loadCluster();
  const workers = forkWorkers(cluster, 2);
  const [gone, next] = workers;
  await using(workers, async () => {
    gone.worker.send('are you there?');
    await gone.received(1);
    gone.worker.process.kill();
    await gone.exited;
    if (gone.worker.process.connected) await once(gone.worker.process, 'disconnect');

    // With a callback, the callback gets the error...
    let returned: boolean | undefined;
    const error = await new Promise<(Error & { code?: string }) | null>((resolve) => {
      returned = gone.worker.send('too late', resolve);
    });
    assert.equal(returned, false, 'send() returns false once the channel is closed');
    assert.equal(error?.code, 'ERR_IPC_CHANNEL_CLOSED', 'the callback gets the error ERR_IPC_CHANNEL_CLOSED');
    // ...without one, the Worker emits 'error'.
    const errorEvent = once(gone.worker, 'error');
    assert.equal(gone.worker.send('too late again'), false, 'send() without a callback returns false too');
    const [emitted] = (await errorEvent) as [Error & { code?: string }];
    assert.equal(emitted.code, 'ERR_IPC_CHANNEL_CLOSED', "without a callback, the Worker emits 'error' with ERR_IPC_CHANNEL_CLOSED");

    next.worker.send('still here');
    assert.deepEqual(await next.received(1), ['still here'], 'the other worker still answers');
  });
});

guardedTest('step 1: a message that cannot be serialised fails at once, and the channel stays open', {}, async () => {
  const cluster = loadCluster();
  const workers = forkWorkers(cluster, 1);
  const [watched] = workers;
  await using(workers, async () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    // The default serialization is JSON: JSON.stringify throws, inside send().
    assert.throws(() => watched.worker.send({ big: 10n } as never), TypeError, 'a BigInt is no JSON');
    assert.throws(() => watched.worker.send(circular as never), TypeError, 'nor is a circular object');
    watched.worker.send({ op: 'send-unserialisable' });
    watched.worker.send('still fine');
    assert.deepEqual(
      await watched.received(2),
      [{ op: 'unserialisable', errors: ['TypeError', 'TypeError'] }, 'still fine'],
      "in the worker, cluster.worker.send() throws a TypeError too, and the channel still carries the next message",
    );
  });
});

guardedTest("step 1: with serialization 'advanced', a BigInt, a Map and a Date arrive as themselves", {}, async () => {
  const cluster = loadCluster();
  const workers = forkWorkers(cluster, 1, 'advanced');
  const [watched] = workers;
  await using(workers, async () => {
    const value = { big: 10n, map: new Map([['hello', 'worker']]), when: new Date(0), set: new Set([1, 2]) };
    watched.worker.send(value as never);
    assert.deepEqual(await watched.received(1), [value], "with serialization 'advanced' the worker gets, and echoes, the values themselves");
  });
});

guardedTest('step 1: a 1 MiB message arrives intact, both ways', {}, async () => {
  const cluster = loadCluster();
  const workers = forkWorkers(cluster, 1);
  const [watched] = workers;
  // Every printable ASCII character, quotes and newlines (which JSON must
  // escape) and characters that take 2 and 3 bytes in UTF-8.
  const alphabet = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('') + '"\\\né✓';
  const blob = Array.from({ length: 1 << 20 }, (_, i) => alphabet[(i * 7919) % alphabet.length]).join('');
  await using(workers, async () => {
    watched.worker.send({ blob });
    const [echo] = (await watched.received(1)) as Array<{ blob: string }>;
    assert.equal(echo.blob.length, blob.length, 'as many characters');
    assert.ok(echo.blob === blob, 'the same characters');
  });
});

guardedTest('step 1: a socket sent with a message arrives usable in the worker', {}, async () => {
  const cluster = loadCluster();
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  const client = net.connect(port, '127.0.0.1');
  try {
    const workers = forkWorkers(cluster, 1);
    const [watched] = workers;
    await using(workers, async () => {
      const [socket] = (await once(server, 'connection')) as [net.Socket];
      let text = '';
      client.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      const ended = once(client, 'end');
      watched.worker.send({ op: 'socket' }, socket);
      assert.deepEqual(
        await watched.received(1),
        [{ op: 'socket', handleType: 'Socket' }],
        "the worker's 'message' listener gets the socket as its second argument, a net.Socket",
      );
      await ended;
      assert.equal(text, `hello from worker ${watched.worker.id}\n`, 'the worker wrote to the connection');
    });
  } finally {
    client.destroy();
    server.close();
  }
});

guardedTest("step 2-3: the cluster's own messages never reach the program's 'message' listeners", {}, async () => {
  const cluster = loadCluster();
  const workers = forkWorkers(cluster, 1);
  const [watched] = workers;
  const { worker } = watched;
  // Listening from the very start: the worker's 'online' message is still to come.
  const seenByProcess: unknown[] = [];
  const seenByCluster: unknown[] = [];
  let onlineEvents = 0;
  worker.on('online', () => onlineEvents++);
  worker.process.on('message', (message: unknown) => seenByProcess.push(message));
  // In front of every other listener: the cluster's messages must not reach this one either.
  const seenFirst: unknown[] = [];
  worker.process.prependListener('message', (message: unknown) => seenFirst.push(message));
  const onClusterMessage = (from: Worker, message: unknown) => from === worker && seenByCluster.push(message);
  await listening(cluster, 'message', onClusterMessage, () =>
    using(workers, async () => {
      worker.send('hello worker');
      worker.send({ op: 'report' });
      const answers = await watched.receivedUntil(isReport);
      const report = answers[answers.length - 1] as Report;
      // The worker said 'online' before anything else, on the same channel, so it has passed by now.
      assert.equal(onlineEvents, 1, "step 3: node:cluster emits 'online' once, before the worker's first message arrives");
      const sent = ['hello worker', { op: 'report' }];
      const expectedAnswers = ['hello worker', report];
      const gotOnly = (listener: string, seen: unknown[], expected: unknown[]) => {
        const strangers = seen.filter((message) => !expected.some((each) => isDeepStrictEqual(each, message)));
        const what = strangers.length
          ? `${listener} got the cluster's own ${JSON.stringify(strangers)}: in node:cluster no 'message' listener ` +
            'ever sees the cluster\'s messages, whenever and however it was added'
          : `${listener} gets the program's messages, each once, in order`;
        assert.deepEqual(seen, expected, what);
      };
      gotOnly("worker.on('message')", watched.events.map(([message]) => message), expectedAnswers);
      gotOnly("worker.process.on('message')", seenByProcess, expectedAnswers);
      gotOnly("worker.process.prependListener('message')", seenFirst, expectedAnswers);
      gotOnly("cluster.on('message')", seenByCluster, expectedAnswers);
      gotOnly("in the worker, process.on('message')", report.process, sent);
      gotOnly("in the worker, cluster.worker.on('message')", report.worker, sent);
    }),
  );
});

guardedTest("step 2-3: a program's message shaped like the cluster's is delivered as a message", {}, async () => {
  const cluster = loadCluster();
  const workers = forkWorkers(cluster, 1);
  const [watched] = workers;
  const { worker } = watched;
  let onlineEvents = 0;
  worker.on('online', () => onlineEvents++);
  // Look-alikes of node's { cmd: 'NODE_CLUSTER', act: 'online' } and of ours.
  // (A cmd starting with NODE_ would be swallowed by node itself, so no test uses one.)
  const lookAlikes = [
    { act: 'online', seq: 1, clusterKey: 'x' },
    { cmd: 'CLUSTER', act: 'online' },
  ];
  await using(workers, async () => {
    for (const message of lookAlikes) worker.send(message);
    worker.send({ op: 'report' });
    const answers = await watched.receivedUntil(isReport);
    const report = answers.pop() as Report;
    assert.deepEqual(
      answers,
      lookAlikes,
      "a program's messages reach the program whatever their shape: the worker got these look-alikes and sent them back",
    );
    const sent = [...lookAlikes, { op: 'report' }];
    assert.deepEqual(report.process, sent, "in the worker, process.on('message') got them");
    assert.deepEqual(report.worker, sent, "in the worker, cluster.worker.on('message') got them");
    assert.equal(onlineEvents, 1, "step 3: 'online' fires once, for the worker's real handshake, never for a look-alike");
  });
});

guardedTest("step 3: 'online' fires once per worker, on the Worker then on cluster, after 'fork' and before its messages", {}, async () => {
  const cluster = loadCluster();
  const events: string[] = [];
  const onFork = (worker: Worker) => events.push(`cluster fork ${worker.id}`);
  const onOnline = (worker: Worker) => events.push(`cluster online ${worker.id} state ${stateOf(worker)}`);
  await listening(cluster, 'fork', onFork, () =>
    listening(cluster, 'online', onOnline, async () => {
      const workers = forkWorkers(cluster, 2);
      await using(workers, async () => {
        for (const { worker } of workers) {
          assert.equal(stateOf(worker), 'none', 'a Worker starts in state none');
          worker.on('online', () => events.push(`worker online ${worker.id}`));
          worker.on('message', () => events.push(`message ${worker.id}`));
          worker.send({ op: 'report' });
        }
        for (const watched of workers) {
          const { id } = watched.worker;
          const [report] = (await watched.received(1)) as [Report];
          const ofThisWorker = events.filter((event) => new RegExp(` ${id}( |$)`).test(event));
          assert.deepEqual(
            ofThisWorker,
            [`cluster fork ${id}`, `worker online ${id}`, `cluster online ${id} state online`, `message ${id}`],
            `step 3: worker ${id}: node:cluster emits 'fork', then 'online' on the Worker, then 'online' on cluster (the state ` +
              "already 'online'), then the worker's first message, each once",
          );
          assert.equal(stateOf(watched.worker), 'online', "after 'online', worker.state is 'online'");
          assert.equal(report.state, 'online', "in the worker, cluster.worker.state is 'online' too");
        }
      });
    }),
  );
});
