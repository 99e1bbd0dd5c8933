// Lesson 2's demo, run as a program: the lines it prints as a set, plus the
// orders that must hold whatever the interleaving of the processes.
import assert from 'node:assert/strict';
import { guardedTest } from '../../../testing/guard';
import { onNode } from '../../../testing/target';
import { runProgram, describeOutput, type ProgramResult } from '../../../testing/program';
import { assertBefore, assertSameLines, parseTraceLine, tracedMessages } from '../../../testing/lines';

/** What the demo prints for one worker, in the article's words (note the full-width colon ：). */
function linesOf(id: number) {
  return {
    fork: `fork：worker${id}`,
    online: `worker${id} is online now`,
    greeting: `got the worker${id}'s msg：hello master, I am worker${id}`,
    received: `worker${id} got the master msg：hello worker${id}`,
    echo: `got the worker${id}'s msg：hello worker${id}`,
  };
}

function checkDemoOutput(result: ProgramResult, workerCount: number): void {
  assert.equal(result.code, 0, `the demo with ${workerCount} workers failed${describeOutput(result)}`);
  const ids = Array.from({ length: workerCount }, (_, index) => index + 1);
  const demoLines = result.lines.filter((line) => !parseTraceLine(line));
  const expected = ids.flatMap((id) => Object.values(linesOf(id)));
  const missing = expected.filter((line) => !demoLines.includes(line));
  assert.deepEqual(missing, [], `step 3: the demo (${workerCount} workers) never printed these lines${describeOutput(result)}`);
  assertSameLines({ ...result, lines: demoLines }, expected, `the demo (${workerCount} workers)`);
  for (const id of ids) {
    const lines = linesOf(id);
    // Every 'fork' is emitted before the primary reads any message at all.
    for (const other of ids) assertBefore(result, linesOf(other).fork, lines.online);
    // The worker says 'online' before its program sends anything.
    assertBefore(result, lines.online, lines.greeting);
    // The worker prints what it got, then echoes it.
    assertBefore(result, lines.received, lines.echo);
  }
}

const runDemo = (env: Record<string, string>) => runProgram('lessons/02-messaging/demo.ts', { env });

guardedTest('step 1-3: the demo: fork, online, the hello exchange and the echo, with 2, 3 and 4 workers', {}, async () => {
  const counts = [2, 3, 4];
  const results = await Promise.all(counts.map((count) => runDemo({ WORKERS: String(count) })));
  results.forEach((result, index) => checkDemoOutput(result, counts[index]));
});

guardedTest(
  "step 3: --trace prints each worker's online message as it passes, before the primary hears it",
  { skip: onNode && "node:cluster's own messages are internal to Node: there is nothing of ours to trace" },
  async () => {
    const result = await runDemo({ WORKERS: '2', CLUSTER_TRACE: '1' });
    checkDemoOutput(result, 2);
    const traced = tracedMessages(result).map(({ direction, act }) => `${direction} ${act}`);
    const expected = ['worker 1 → primary online', 'worker 2 → primary online'];
    assert.deepEqual(traced.sort(), expected, `the trace${describeOutput(result)}`);
    for (const id of [1, 2]) {
      const traceIndex = result.lines.findIndex((line) => parseTraceLine(line)?.worker === id);
      const onlineIndex = result.lines.indexOf(linesOf(id).online);
      assert.ok(traceIndex < onlineIndex, `worker ${id}'s trace line comes first${describeOutput(result)}`);
    }
  },
);
