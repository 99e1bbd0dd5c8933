// Lesson 7, step 2: listen(callback), listen({ fd }) and the backlog, as node:cluster reads them.
import { guardedTest } from '../../../testing/guard';
import { assertPrinted, assertSucceeded, inTemporaryFolder, runFixture, TIMEOUT } from './helpers';

guardedTest('step 2: listen(callback) with no port is listen(0) through the primary: two workers share one port', { timeout: TIMEOUT }, async () => {
  const result = await runFixture('any-port.ts');
  const what = 'step 2: in node:cluster a worker\'s listen(callback) asks the primary for any port, as listen(0) does, so every worker that does it shares one port and the primary emits \'listening\' (address null, addressType 4)';
  assertPrinted(
    result,
    [
      'both workers got the same port: true',
      "'listening' from worker 1: address null, addressType 4, port a port",
      "'listening' from worker 2: address null, addressType 4, port a port",
    ],
    what,
  );
  assertSucceeded(result, what);
});

guardedTest("step 2: listen({ fd: 3 }) in a worker listens on the primary's file descriptor 3", { timeout: TIMEOUT }, async () => {
  const result = await runFixture('fd.ts');
  const what = "step 2: in node:cluster the primary does the listening, so a worker's listen({ fd }) names a descriptor of the PRIMARY: the primary listens on it and hands its connections to the worker ('listening': address null, addressType null, the socket's port)";
  assertPrinted(
    result,
    [
      "worker 1 listens on the socket's port: true",
      "'listening' from worker 1: address null, addressType null, port the socket's",
      'a connection to the socket was answered by: worker 1',
    ],
    what,
  );
  assertSucceeded(result, what);
});

guardedTest("step 2: listen(path, backlog) sets the backlog of the primary's listening socket", { timeout: TIMEOUT }, async () => {
  const result = await inTemporaryFolder((folder) => runFixture('backlog.ts', { SOCKET_DIR: folder }));
  const what =
    "step 2: in node:cluster the backlog given to a worker's listen() is the backlog of the primary's listening socket: " +
    'with a backlog of 1 and a primary that accepts nothing for a moment, a pipe refuses all but the first couple of ' +
    'connections (EAGAIN), while the default backlog (511) queues them all';
  assertPrinted(
    result,
    [
      'backlog 1: some connections refused (EAGAIN, connected)',
      'default backlog: every connection queued (connected)',
      "the primary heard 'listening' for: small.sock, usual.sock",
    ],
    what,
  );
  assertSucceeded(result, what);
});
