// Lesson 7, step 3: dgram sockets bound in workers are shared through the primary.
import os from 'node:os';
import { guardedTest } from '../../../testing/guard';
import { assertPrinted, assertSucceeded, runFixture, TIMEOUT } from './helpers';

const hasIPv6Loopback = Object.values(os.networkInterfaces())
  .flat()
  .some((info) => info?.address === '::1');

for (const type of ['udp4', 'udp6'] as const) {
  guardedTest(
    `step 3: ${type}: two workers' sockets share one port through the primary, exclusive: true binds alone, disconnect() closes them`,
    { timeout: TIMEOUT, skip: type === 'udp6' && !hasIPv6Loopback ? 'this machine has no IPv6 loopback (::1)' : false },
    async () => {
      const result = await runFixture('udp.ts', { UDP_TYPE: type });
      const address = type === 'udp4' ? '127.0.0.1' : '::1';
      const what =
        `step 3: in node:cluster a worker's dgram bind() (${type}) asks the primary, which binds the socket once and ` +
        "sends it to every worker that asks for the same address (whatever the scheduling policy), and emits 'listening' " +
        `with addressType '${type}'; bind({ exclusive: true }) binds in the worker itself, and worker.disconnect() closes ` +
        "the worker's shared sockets ('close') before the worker leaves";
      assertPrinted(
        result,
        [
          'both workers got the same port: true',
          `'listening' from worker 1: address ${address}, addressType ${type}, port the shared one`,
          `'listening' from worker 2: address ${address}, addressType ${type}, port the shared one`,
          'every datagram answered by worker 1 or 2: true',
          'worker 3, exclusive: true on the same port: EADDRINUSE',
          "'listening' events in all: 2",
          'worker 1: socket closed',
          'worker 2: socket closed',
          'worker 1 exit code: 0',
          'worker 2 exit code: 0',
          'worker 3 exit code: 0',
        ],
        what,
      );
      assertSucceeded(result, what);
    },
  );
}
