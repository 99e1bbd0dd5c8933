// Lesson 3's demo tests: the article's Example A, with 4 workers; then with
// 2 workers and --trace (CLUSTER_TRACE=1), the messages of this lesson.
import assert from 'node:assert/strict';
import { guardedTest } from '../../../testing/guard';
import { freePort } from '../../../testing/ports';
import { onNode } from '../../../testing/target';
import { describeOutput, runProgram, type ProgramResult } from '../../../testing/program';
import { assertBefore, assertTracedBefore, tracedMessages } from '../../../testing/lines';

const IDS = [1, 2, 3, 4];


/** The article's sample output for 4 workers (its full-width colons included), on `port`. */
function articleLines(port: number): string[] {
  return [
    ...IDS.map((id) => `fork：worker${id}`),
    ...IDS.flatMap((id) => [
      `worker${id} is online now`,
      `got the worker${id}'s msg：hello master, I am worker${id}`,
      `worker${id} got the master msg：hello worker${id}`,
      `worker${id} listening on 127.0.0.1:${port}`,
    ]),
  ];
}

/** Our ending: one answer from the shared port, then every worker leaves. */
function endingLines(answeredBy: number): string[] {
  return [
    `the shared port answered：hello world${answeredBy}`,
    ...IDS.flatMap((id) => [`worker${id} is disconnected.`, `worker${id} exit.`]),
  ];
}

guardedTest("step 1-3: Example A prints the article's 20 lines, in an order node allows, then ends", {}, async () => {
  const port = await freePort();
  const result: ProgramResult = await runProgram('lessons/03-events/demo.ts', {
    env: { WORKERS: '4', PORT: String(port) },
  });
  const expected = articleLines(port);
  const sorted = (lines: string[]) => [...lines].sort();
  // The article's lines come first, all of them and nothing else among them.
  assert.deepEqual(
    sorted(result.lines.slice(0, expected.length)),
    sorted(expected),
    `the first ${expected.length} lines should be the article's: fork, online, the hello exchange and listening, for ` +
      `each worker, and nothing else among them${describeOutput(result)}`,
  );
  // The orders that hold on every run: the primary prints every fork before
  // any other line of its own (a worker's own line, "got the master msg", is
  // another process's, and on a loaded machine may come first); then, per
  // worker, online before its message and before its listening.
  const primaryLines = result.lines.filter((line) => !/^worker\d+ got the master msg/.test(line));
  const firstNonFork = primaryLines.findIndex((line) => !line.startsWith('fork：'));
  assert.equal(
    firstNonFork,
    IDS.length,
    `step 1: the primary's ${IDS.length} fork lines should come before its other lines: node:cluster emits 'fork' on the next tick, before any event of the worker${describeOutput(result)}`,
  );
  for (const id of IDS) {
    assertBefore(result, `worker${id} is online now`, `got the worker${id}'s msg：hello master, I am worker${id}`);
    assertBefore(result, `worker${id} is online now`, `worker${id} listening on 127.0.0.1:${port}`);
  }

  assert.equal(
    result.code,
    0,
    `the demo should end by itself, once every worker has emitted 'disconnect' and 'exit'${describeOutput(result)}`,
  );
  const answer = result.lines[expected.length] ?? '';
  const answeredBy = Number(/hello world(\d)$/.exec(answer)?.[1]);
  assert.ok(IDS.includes(answeredBy), `after the article's lines, a worker should answer the request to the shared port${describeOutput(result)}`);
  const ending = endingLines(answeredBy);
  assert.deepEqual(
    sorted(result.lines.slice(expected.length)),
    sorted(ending),
    `the ending: the answer, then 'disconnect' and 'exit' for every worker${describeOutput(result)}`,
  );
  for (const id of IDS) assertBefore(result, `worker${id} is disconnected.`, `worker${id} exit.`);
});

guardedTest(
  "step 2-3: --trace shows each worker's queryServer, queryServerReply and listening, then the newconn that carries the socket",
  { skip: onNode && "node:cluster's own messages are internal to Node: there is nothing of ours to trace" },
  async () => {
    const port = await freePort();
    const result = await runProgram('lessons/03-events/demo.ts', { env: { WORKERS: '2', PORT: String(port), CLUSTER_TRACE: '1' } });
    assert.equal(result.code, 0, `the demo should end by itself, once every worker has left${describeOutput(result)}`);
    const traced = tracedMessages(result);
    const only = (direction: string, act: string) => {
      const found = traced.filter((message) => message.direction === direction && message.act === act);
      assert.equal(found.length, 1, `one "${direction} ${act}" expected in the trace, got ${found.length}${describeOutput(result)}`);
      return found[0];
    };
    const wanted = { address: '127.0.0.1', port, addressType: 4 };
    for (const id of [1, 2]) {
      only(`worker ${id} → primary`, 'online');
      // step 2: the worker asks, the primary answers with the port it listens on, the worker says it listens.
      const query = only(`worker ${id} → primary`, 'queryServer');
      const { seq, ...asked } = query.fields;
      assert.deepEqual(asked, wanted, `worker ${id} asks for the address its program gave listen()${describeOutput(result)}`);
      const reply = only(`primary → worker ${id}`, 'queryServerReply');
      assert.equal(reply.fields.ack, seq, `the reply answers worker ${id}'s query${describeOutput(result)}`);
      assert.deepEqual(
        reply.fields.sockname,
        { address: '127.0.0.1', family: 'IPv4', port },
        `the reply gives the address the primary listens on${describeOutput(result)}`,
      );
      const listening = only(`worker ${id} → primary`, 'listening');
      assert.deepEqual(listening.fields, wanted, `worker ${id} tells the primary the address it listens on${describeOutput(result)}`);
      assertTracedBefore(result, query.line, reply.line);
      assertTracedBefore(result, reply.line, listening.line);
      assertBefore(result, listening.line, `worker${id} listening on 127.0.0.1:${port}`);
    }
    // step 3: the one request reached the port; its socket went to the worker that answered.
    const handOvers = traced.filter((message) => message.act === 'newconn');
    const answeredBy = /hello world(\d)$/.exec(result.lines.find((line) => line.startsWith('the shared port answered')) ?? '')?.[1];
    assert.deepEqual(
      handOvers.map(({ direction, fields, handle }) => ({ direction, fields, handle })),
      [{ direction: `primary → worker ${answeredBy}`, fields: { key: `127.0.0.1:${port}:4` }, handle: 'Socket' }],
      `one newconn, with the socket, to the worker that answered${describeOutput(result)}`,
    );
    assertBefore(result, handOvers[0].line, `the shared port answered：hello world${answeredBy}`);
    const acts = new Set(traced.map((message) => message.act));
    assert.deepEqual([...acts].sort(), ['listening', 'newconn', 'online', 'queryServer', 'queryServerReply'], `the acts traced${describeOutput(result)}`);
  },
);
