// Lesson 4's demo, the article's Example B, checked as a partial order: the
// set of lines, then only the orders that must hold whatever the scheduling;
// and with --trace (CLUSTER_TRACE=1), the messages a worker's leaving is made of.
import assert from 'node:assert/strict';
import { guardedTest } from '../../../testing/guard';
import { freePort } from '../../../testing/ports';
import { onNode } from '../../../testing/target';
import { runProgram, describeOutput, type ProgramResult } from '../../../testing/program';
import { assertBefore, assertTracedBefore, tracedMessages } from '../../../testing/lines';

const WORKER_IDS = [1, 2, 3, 4];


/** Every line Example B prints with 4 workers, in one possible order. */
function exampleBLines(port: number): string[] {
  return [
    'true',
    'false',
    'cluster.workers: 1 (none), 2 (none), 3 (none), 4 (none)',
    ...Array(5).fill('have setup'), // setupMaster(), then one per fork()
    ...WORKER_IDS.flatMap((id) => [
      `fork = ${id}`,
      `worker ${id} online`,
      `in worker id ${id}`,
      `worker ${id} connected true`,
      `got message from ${id} message first message`,
      'first message callback',
      `worker ${id} listen 127.0.0.1:${port}`,
      `worker ${id} disconnect in`,
      `disconnected worker ${id}`,
      `exit ${id} code = 0 signal null`,
    ]),
    'worker is dead false', // worker 2, right after its disconnect()
    'cluster.disconnect() called back',
  ];
}

/** The lines of `expected` missing from `actual`, counting repeats ('have setup' comes five times). */
function missingFrom(actual: string[], expected: string[]): string[] {
  const left = [...actual];
  return expected.filter((line) => {
    const index = left.indexOf(line);
    if (index === -1) return true;
    left.splice(index, 1);
    return false;
  });
}

/** The same lines as node:cluster prints, in any order; says which are missing and which are extra. */
function assertExampleBLines(result: ProgramResult, expected: string[]): void {
  const missing = missingFrom(result.lines, expected);
  const extra = missingFrom(expected, result.lines);
  const show = (lines: string[]) => (lines.length ? lines.map((line) => `\n    ${line}`).join('') : ' none');
  assert.ok(
    missing.length === 0 && extra.length === 0,
    `step 6: Example B should print the lines it prints on node:cluster, in any order.\n  missing:${show(missing)}\n  ` +
      `extra:${show(extra)}${describeOutput(result)}`,
  );
}

/** Every line `later` comes after every line `earlier` (lines that may repeat, like 'have setup'). */
function assertAllBefore(result: ProgramResult, earlier: string, later: string): void {
  const last = result.lines.lastIndexOf(earlier);
  const first = result.lines.indexOf(later);
  assert.ok(last < first, `step 6: every "${earlier}" should come before every "${later}"${describeOutput(result)}`);
}

guardedTest('step 1-6: Example B (4 workers): every event, worker 2 disconnects, worker 3 kills itself', { timeout: 30_000 }, async () => {
  const port = await freePort();
  const result = await runProgram('lessons/04-worker-methods/demo.ts', { env: { WORKERS: '4', PORT: String(port) } });
  assert.equal(result.code, 0, `step 6: Example B should end by itself with code 0; it ended with ${result.code}${describeOutput(result)}`);
  assertExampleBLines(result, exampleBLines(port));

  // The primary's own code runs first; 'setup' and 'fork' wait a tick.
  assertBefore(result, 'true', 'false');
  assertBefore(result, 'false', 'cluster.workers: 1 (none), 2 (none), 3 (none), 4 (none)');
  assertAllBefore(result, 'cluster.workers: 1 (none), 2 (none), 3 (none), 4 (none)', 'have setup');
  for (const id of [2, 3, 4]) assertBefore(result, `fork = ${id - 1}`, `fork = ${id}`);

  // Each worker's life, in order. Its own lines and the primary's are
  // ordered only where one causes the other.
  for (const id of WORKER_IDS) {
    assertBefore(result, `fork = ${id}`, `worker ${id} online`);
    assertBefore(result, `worker ${id} online`, `got message from ${id} message first message`);
    assertBefore(result, `in worker id ${id}`, `worker ${id} connected true`);
    assertBefore(result, `worker ${id} connected true`, `got message from ${id} message first message`);
    assertBefore(result, `got message from ${id} message first message`, `worker ${id} listen 127.0.0.1:${port}`);
    assertBefore(result, `worker ${id} listen 127.0.0.1:${port}`, `disconnected worker ${id}`);
    assertBefore(result, `got message from ${id} message first message`, `worker ${id} disconnect in`);
    assertBefore(result, `worker ${id} disconnect in`, `exit ${id} code = 0 signal null`);
  }
  // Worker 2 was told to disconnect: isDead() is false right after the call.
  assertBefore(result, 'got message from 2 message first message', 'worker is dead false');
  assertBefore(result, 'worker is dead false', 'worker 2 disconnect in');
  assertBefore(result, 'worker is dead false', 'disconnected worker 2');

  // The demo calls cluster.disconnect() once workers 2 and 3 have exited.
  // Its callback comes when the first of workers 1 and 4 has gone: by then
  // that worker's first event ('disconnect' or 'exit') is printed. Where it
  // falls among the other lines is free.
  for (const gone of [2, 3]) {
    for (const rest of [1, 4]) assertBefore(result, `exit ${gone} code = 0 signal null`, `disconnected worker ${rest}`);
    assertBefore(result, `exit ${gone} code = 0 signal null`, 'cluster.disconnect() called back');
  }
  const callback = result.lines.indexOf('cluster.disconnect() called back');
  const endsOfTheRest = [1, 4].flatMap((id) => [`disconnected worker ${id}`, `exit ${id} code = 0 signal null`]);
  assert.ok(
    endsOfTheRest.some((line) => result.lines.indexOf(line) < callback),
    `step 6: the cluster.disconnect() callback should come once worker 1 or worker 4 has gone${describeOutput(result)}`,
  );
});

/** This lesson's messages: the ones a worker's leaving is made of. */
const LEAVING_ACTS = ['disconnect', 'exitedAfterDisconnect', 'ack', 'close'];

guardedTest(
  "step 2-6: --trace shows how each worker leaves: disconnect from the primary, or exitedAfterDisconnect and its ack, close per server",
  { timeout: 30_000, skip: onNode && "node:cluster's own messages are internal to Node: there is nothing of ours to trace" },
  async () => {
    const port = await freePort();
    const result = await runProgram('lessons/04-worker-methods/demo.ts', { env: { WORKERS: '3', PORT: String(port), CLUSTER_TRACE: '1' } });
    assert.equal(result.code, 0, `step 6: Example B should end by itself with code 0; it ended with ${result.code}${describeOutput(result)}`);
    const traced = tracedMessages(result)
      .filter(({ act }) => LEAVING_ACTS.includes(act))
      .map(({ line, direction, act, fields }) => ({ line, message: `${direction} ${act}`, fields }));
    const only = (message: string) => {
      const found = traced.filter((each) => each.message === message);
      assert.equal(found.length, 1, `step 6: one "${message}" expected in the trace, got ${found.length}${describeOutput(result)}`);
      return found[0];
    };
    // Worker 3 kills itself: it asks, and leaves on the answer, without closing its server.
    // Worker 2 disconnects: it closes its server first, then asks.
    // Worker 1 is asked by the primary (cluster.disconnect()): it closes its server, and asks nothing.
    const expected = [
      'worker 3 → primary exitedAfterDisconnect',
      'primary → worker 3 ack',
      'worker 2 → primary close',
      'worker 2 → primary exitedAfterDisconnect',
      'primary → worker 2 ack',
      'primary → worker 1 disconnect',
      'worker 1 → primary close',
    ];
    const seen = traced.map((each) => each.message);
    assert.ok(
      seen.length === expected.length && missingFrom(seen, expected).length === 0,
      `step 6: the trace should show exactly these leaving messages, in any order:\n    ${expected.join('\n    ')}\n  ` +
        `it shows:\n    ${seen.join('\n    ') || '(none)'}${describeOutput(result)}`,
    );
    for (const id of [2, 3]) {
      const asked = only(`worker ${id} → primary exitedAfterDisconnect`);
      const answered = only(`primary → worker ${id} ack`);
      assert.equal(answered.fields.ack, asked.fields.seq, `step 6: the ack should answer worker ${id}'s request${describeOutput(result)}`);
      assertTracedBefore(result, asked.line, answered.line);
      // The channel closes only once the primary has answered: the flag is set before 'disconnect'.
      assertBefore(result, answered.line, `disconnected worker ${id}`);
    }
    assertBefore(result, only('worker 2 → primary close').line, only('worker 2 → primary exitedAfterDisconnect').line);
    assertTracedBefore(result, only('primary → worker 1 disconnect').line, only('worker 1 → primary close').line);
    assertBefore(result, only('worker 1 → primary close').line, 'disconnected worker 1');
    for (const { fields } of traced.filter((each) => each.message.endsWith(' close'))) {
      // The key names the shared address (lesson 5 adds the server's index after it).
      const key = String(fields.key);
      assert.ok(key.startsWith(`127.0.0.1:${port}:4`), `step 6: close should name the shared port, 127.0.0.1:${port}; it names ${key}${describeOutput(result)}`);
    }
  },
);
