// Lesson 6's change to the cluster: a worker answers the primary's offer of a
// connection first, and sets the connection up after. Each test runs a small
// primary from fixtures/ that forks its workers, connects as a client and
// prints what it saw. Nothing here is timed: the order of two lines printed
// by one process, and who answered, are the same on a fast machine and a
// slow one.
import assert from 'node:assert/strict';
import { guardedTest } from '../../../testing/guard';
import { describeOutput, runProgram, type ProgramResult } from '../../../testing/program';
import { onNode } from '../../../testing/target';

const TIMEOUT = 30_000;

function runFixture(name: string, env: Record<string, string> = {}): Promise<ProgramResult> {
  return runProgram(`lessons/06-measure/test/fixtures/${name}`, { env });
}

function assertSucceeded(result: ProgramResult, what: string): void {
  assert.equal(result.code, 0, `${what}: the program failed${describeOutput(result)}`);
}

/** A worker's traced newconnReply: "  [trace 12:00:00.000] worker 1 → primary   newconnReply {...}". */
const REPLY = /^ *\[trace [\d:.]+\] worker 1 → primary +newconnReply \{.*\}$/;

guardedTest(
  "step 1: the worker answers the offer (newconnReply) before its server's 'connection' event fires",
  { timeout: TIMEOUT, skip: onNode && "node's newconn and its answer are internal to Node: there is nothing of ours to trace" },
  async () => {
    const result = await runFixture('answer-first.ts', { CLUSTER_TRACE: '1' });
    assertSucceeded(result, 'step 1: one worker, three connections, traced');
    // Worker 1 prints both kinds of line itself, so their order is the order
    // in which it did the two things.
    const events = result.lines
      .map((line) => (REPLY.test(line) ? 'newconnReply' : line === "worker 1: 'connection' event" ? 'connection' : undefined))
      .filter((event) => event !== undefined);
    assert.deepEqual(
      events,
      ['newconnReply', 'connection', 'newconnReply', 'connection', 'newconnReply', 'connection'],
      `step 1: for each of the 3 connections, worker 1 should send its newconnReply first, then hand the socket ` +
        `to its server${describeOutput(result)}`,
    );
    assert.equal(result.lines.filter((line) => line === 'greeted by: worker 1').length, 3, `step 1: every connection should be served${describeOutput(result)}`);
  },
);

guardedTest(
  'step 1: a full worker (maxConnections reached) refuses its offers, and the other worker gets those connections',
  { timeout: TIMEOUT },
  async () => {
    const result = await runFixture('full.ts', { MAX_CONNECTIONS: '1' });
    assertSucceeded(result, 'step 1: two workers with maxConnections 1, one of them holding a connection');
    const held = /^held open: (worker \d)$/.exec(result.lines.find((line) => line.startsWith('held open: ')) ?? '')?.[1];
    assert.ok(held !== undefined, `step 1: the first connection should be served${describeOutput(result)}`);
    const other = held === 'worker 1' ? 'worker 2' : 'worker 1';
    assert.ok(
      result.lines.includes(`the 10 others answered by: ${other}`),
      `step 1: while ${held} is full, ${other} should answer all 10 other connections${describeOutput(result)}`,
    );
    assert.ok(
      result.lines.includes('after the held connection closed, answered by: worker 1, worker 2'),
      `step 1: once the held connection has closed, both workers should take connections again${describeOutput(result)}`,
    );
  },
);

guardedTest(
  'step 1: a refused connection is not lost: the primary offers it again until the worker has room for it',
  { timeout: TIMEOUT },
  async () => {
    const result = await runFixture('refused-waits.ts', { MAX_CONNECTIONS: '1' });
    assertSucceeded(result, 'step 1: one worker with maxConnections 1, a second connection while the first is open');
    for (const line of [
      'held open: worker 1',
      'while the first is open, the second got an answer: false',
      'once the first closed, the second was answered by: worker 1',
    ]) {
      assert.ok(result.lines.includes(line), `step 1: expected the line "${line}"${describeOutput(result)}`);
    }
  },
);
