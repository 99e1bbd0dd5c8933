// Lesson 7, steps 5 and 6: what a worker's round-robin server holds, and lets go.
import { guardedTest } from '../../../testing/guard';
import { assertPrinted, assertSucceeded, runFixture, TIMEOUT } from './helpers';

guardedTest(
  'step 5: a round-robin server keeps its worker running, as a listening server does, until server.unref()',
  { timeout: TIMEOUT },
  async () => {
    const result = await runFixture('alive.ts');
    const what =
      'step 5: in node:cluster a worker whose server listens through the primary (round-robin) keeps running while the ' +
      'server listens, even with its IPC channel unref()\'d, exactly as a process with a listening socket does; ' +
      'server.unref() lets it end, and ref() holds it again';
    assertPrinted(result, ['a worker with a listening server: still running after 3 s', 'after server.unref(): ended by itself (code 0)'], what);
    assertSucceeded(result, what);
  },
);

guardedTest('step 6: a worker that sends one connection to the primary twice still leaves on disconnect()', { timeout: TIMEOUT }, async () => {
  const result = await runFixture('send-twice.ts');
  const what =
    'step 6: in node:cluster, once a worker has sent a connection to another process (process.send(message, socket)), ' +
    "the socket is that process's: it no longer counts among its server's connections, so the server can close and " +
    'the worker can leave; sent a second time, it arrives without the socket';
  assertPrinted(
    result,
    [
      'message "the socket, once" with a socket',
      'message "the socket, twice"',
      'message "the client has closed"',
      'worker exit code after disconnect(): 0',
    ],
    what,
  );
  assertSucceeded(result, what);
});
