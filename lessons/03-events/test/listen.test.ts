// Lesson 3's tests of listen() and close() in a worker, beyond Example A's
// one call: the other ways a program calls listen(), a pipe, a port that is
// taken, and a server that closes, with a connection open or idle. Each runs fixtures/listen-ways.ts, a
// primary with workers of its own, as a program. Each name starts with the
// README step it checks.
import assert from 'node:assert/strict';
import dns from 'node:dns/promises';
import { guardedTest } from '../../../testing/guard';
import { describeOutput, runProgram, type ProgramResult } from '../../../testing/program';
import { assertSameLines } from '../../../testing/lines';

const LISTEN_WAYS = 'lessons/03-events/test/fixtures/listen-ways.ts';

/** Runs one scenario of listen-ways.ts (see the fixture) and checks that it ended well. */
async function runScenario(scenario: string): Promise<ProgramResult> {
  const result = await runProgram(LISTEN_WAYS, { args: [scenario] });
  assert.equal(result.code, 0, `${scenario}: the primary failed (exit code ${result.code})${describeOutput(result)}`);
  return result;
}

/** The number that `pattern` captures in the one line it matches. */
function numberIn(result: ProgramResult, pattern: RegExp): number {
  const line = result.lines.find((each) => pattern.test(each));
  assert.ok(line !== undefined, `no line matches ${pattern}${describeOutput(result)}`);
  return Number(pattern.exec(line)![1]);
}

guardedTest("step 2: listen({ port, host }), a port given as a string, no port, and the host 'localhost' all ask the primary", {}, async () => {
  const result = await runScenario('forms');
  // Port 0 in every form (a string '0', undefined): all ask for 127.0.0.1
  // port 0, so they share the one port the primary picked.
  const port = numberIn(result, /^cluster: worker 1 listening 127\.0\.0\.1:(\d+) addressType=4$/);
  // A host name is looked up first, as net does: 'listening' gives the
  // address, not the name. Here that is 127.0.0.1 (so the same port too).
  const localhost = await dns.lookup('localhost');
  const localPort = localhost.address === '127.0.0.1' ? port : numberIn(result, /^cluster: worker 4 listening .*:(\d+) /);
  const lines = (id: number, call: string, address: string, listeningOn: number, addressType = 4) => [
    `worker ${id} says: ${call} listens on ${address}:${listeningOn} (server.listening: true)`,
    `cluster: worker ${id} listening ${address}:${listeningOn} addressType=${addressType}`,
  ];
  assertSameLines(
    result,
    [
      ...lines(1, 'listen({ port: 0, host })', '127.0.0.1', port),
      ...lines(2, "listen('0', host)", '127.0.0.1', port),
      ...lines(3, 'listen(undefined, host)', '127.0.0.1', port),
      ...lines(4, "listen(0, 'localhost')", localhost.address, localPort, localhost.family),
    ],
    "four forms of listen() in a worker: node:cluster emits 'listening' for each, all on one port, with the address looked up",
  );
});

guardedTest('regression (lesson 2): a pipe path has no port to share: listen(path) and listen({ path }) in a worker still listen, and answer there', {}, async () => {
  // Ours binds a pipe in the worker itself. Node's worker asks its primary
  // for a pipe too (the cluster then emits 'listening' with addressType -1);
  // the scenario does not look at 'listening', only at what both give the
  // program: a server that listens on its path and answers there.
  const result = await runScenario('pipe');
  assertSameLines(
    result,
    [
      'worker 1 says: listen(path) listens on PIPE_1 (server.listening: true)',
      'worker 1 says: listen({ path }) listens on PIPE_2 (server.listening: true)',
      'PIPE_1 answered: hello from worker 1',
      'PIPE_2 answered: hello from worker 1',
    ],
    'two servers on pipe paths in a worker listen and answer, as they did before listen() went through the primary',
  );
});

guardedTest("step 2: a port another server holds: the worker's server gets 'error' EADDRINUSE, no 'listening'; another server can listen", {}, async () => {
  const result = await runScenario('in-use');
  const held = numberIn(result, /^the primary holds 127\.0\.0\.1:(\d+)$/);
  const port = numberIn(result, /^cluster: worker 1 listening 127\.0\.0\.1:(\d+) addressType=4$/);
  assert.notEqual(port, held, `the second server listens on a port of its own, not the one that was taken${describeOutput(result)}`);
  assertSameLines(
    result,
    [
      `the primary holds 127.0.0.1:${held}`,
      // The primary's listen failed; the worker's server emits the error, as
      // if it had tried to bind the port itself. A failed listen is not kept.
      "worker 1 says: the server got 'error' EADDRINUSE (server.listening: false)",
      `worker 1 says: a second server listens on 127.0.0.1:${port} (server.listening: true)`,
      `cluster: worker 1 listening 127.0.0.1:${port} addressType=4`,
    ],
    "listen() on a port that is taken: the worker's server emits 'error' EADDRINUSE and never 'listening'",
  );
});

guardedTest("step 3: close() in a worker: new connections are refused at once, 'close' waits for the open one; it can listen again", {}, async () => {
  const result = await runScenario('close');
  const closed = result.lines.indexOf('worker 1 says: the server closed');
  const clientEnded = result.lines.indexOf('the first client ends its connection');
  assert.ok(
    closed === -1 || clientEnded === -1 || closed > clientEnded,
    "worker 1's server emitted 'close' while a connection it had been handed was still open: a server's 'close' " +
      `(and close()'s callback) waits for the connections it has, in a worker as anywhere${describeOutput(result)}`,
  );
  // One worker, one client at a time: every line is caused by the one before.
  assert.deepEqual(
    result.lines,
    [
      'cluster: worker 1 listening',
      'the first client got: hello from worker 1',
      // close() stops the hand-over: the primary's port closes with its only server.
      'worker 1 says: close() called (server.listening: false)',
      'a new client: refused (ECONNREFUSED)',
      // 'close' (and close()'s callback) waits for the connection the worker has.
      'the first client ends its connection',
      'worker 1 says: the server closed',
      'worker 1 says: it listens again (server.listening: true)',
      'cluster: worker 1 listening',
      'worker 1 says: it closed again, with no connection to wait for',
    ],
    `a worker's server that closes: in node:cluster it takes no new connection at once, emits 'close' once its ` +
      `open connection has ended, and can listen again${describeOutput(result)}`,
  );
});

guardedTest("step 3: close() of a worker's http server does not wait for a keep-alive connection that sits idle", {}, async () => {
  const result = await runScenario('close-idle');
  const port = numberIn(result, /^cluster: worker 1 listening 127\.0\.0\.1:(\d+) addressType=4$/);
  // Like http.Server#close() outside a cluster, the shared server closes the
  // connections that are open but between two requests, and so closes at once.
  assertSameLines(
    result,
    [
      `cluster: worker 1 listening 127.0.0.1:${port} addressType=4`,
      'the client got: hello from worker 1',
      'worker 1 says: close() called (server.listening: false)',
      'worker 1 says: the server closed',
      'the server closed the idle connection, within a second: true',
    ],
    "an http server closed with an idle keep-alive connection: it closes that connection and emits 'close' at once",
  );
});
