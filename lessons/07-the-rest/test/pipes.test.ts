// Lesson 7, step 1: a pipe (a Unix domain socket) goes through the primary like a port.
import { guardedTest } from '../../../testing/guard';
import { assertPrinted, assertSucceeded, inTemporaryFolder, runFixture, TIMEOUT } from './helpers';

guardedTest(
  "step 1: two workers listen on one relative pipe path: it is resolved in the worker's folder, shared through the primary, and removed when the last worker leaves",
  { timeout: TIMEOUT },
  async () => {
    const result = await inTemporaryFolder((folder) => runFixture('pipes.ts', { SOCKET_DIR: folder }));
    const what =
      "step 1: in node:cluster a worker's listen('app.sock') asks the primary, which listens on the path (resolved " +
      "in the worker's working directory) once for every worker that asks, and closes it (removing the file) when the last one leaves";
    assertPrinted(
      result,
      [
        'worker 1: server.address() is "app.sock"',
        'worker 2: server.address() is "app.sock"',
        "'listening' from worker 1: address <dir>/app.sock, port -1, addressType -1",
        "'listening' from worker 2: address <dir>/app.sock, port -1, addressType -1",
        '8 connections answered by: worker 1, worker 2',
        'worker 1 left: exit code 0',
        'socket file once worker 1 has left: present',
        '4 connections answered by: worker 2',
        'worker 2 left: exit code 0',
        'socket file once the last worker has left: gone',
      ],
      what,
    );
    assertSucceeded(result, what);
  },
);
