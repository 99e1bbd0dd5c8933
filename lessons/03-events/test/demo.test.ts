// Lesson 3's demo test: the article's Example A, with 4 workers.
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { guardedTest } from '../../../testing/guard';
import { describeOutput, runProgram, type ProgramResult } from '../../../testing/program';
import { assertBefore } from '../../../testing/lines';

const IDS = [1, 2, 3, 4];

/** A port nobody is listening on right now: ask the system for one, then give it back. */
async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

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
    `the first ${expected.length} lines should be the article's${describeOutput(result)}`,
  );
  // The orders that hold on every run: every fork first; then, per worker,
  // online before its message and before its listening.
  const firstNonFork = result.lines.findIndex((line) => !line.startsWith('fork：'));
  assert.equal(firstNonFork, IDS.length, `the ${IDS.length} fork lines should come first${describeOutput(result)}`);
  for (const id of IDS) {
    assertBefore(result, `worker${id} is online now`, `got the worker${id}'s msg：hello master, I am worker${id}`);
    assertBefore(result, `worker${id} is online now`, `worker${id} listening on 127.0.0.1:${port}`);
  }

  assert.equal(result.code, 0, `the demo should end by itself${describeOutput(result)}`);
  const answer = result.lines[expected.length] ?? '';
  const answeredBy = Number(/hello world(\d)$/.exec(answer)?.[1]);
  assert.ok(IDS.includes(answeredBy), `after the article's lines, a worker should answer${describeOutput(result)}`);
  const ending = endingLines(answeredBy);
  assert.deepEqual(sorted(result.lines.slice(expected.length)), sorted(ending), `the ending${describeOutput(result)}`);
  for (const id of IDS) assertBefore(result, `worker${id} is disconnected.`, `worker${id} exit.`);
});
