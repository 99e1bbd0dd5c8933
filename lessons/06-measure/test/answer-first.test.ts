// Lesson 6's change to the cluster: a worker answers the primary's offer of a
// connection first, and sets the connection up after. The other two tests
// check that lesson 5's refusals still work on the new code (a worker that
// answers first must still answer right). Each test runs a small
// primary from fixtures/ that forks its workers, connects as a client and
// prints what it saw. Nothing here is timed: the order of two lines printed
// by one process, and who answered, are the same on a fast machine and a
// slow one.
import assert from 'node:assert/strict';
import { guardedTest } from '../../../testing/guard';
import { describeOutput, runProgram, type ProgramResult } from '../../../testing/program';
import { onNode } from '../../../testing/target';
import { parseTraceLine } from '../../../testing/lines';

const TIMEOUT = 30_000;

function runFixture(name: string, env: Record<string, string> = {}): Promise<ProgramResult> {
  return runProgram(`lessons/06-measure/test/fixtures/${name}`, { env });
}

function assertSucceeded(result: ProgramResult, what: string): void {
  assert.equal(result.code, 0, `${what}: the program failed${describeOutput(result)}`);
}

/** Worker 1's traced newconnReply: "  [trace 12:00:00.000] worker 1 → primary   newconnReply {...}". */
function isReply(line: string): boolean {
  const traced = parseTraceLine(line);
  return traced !== undefined && !traced.fromPrimary && traced.worker === 1 && traced.act === 'newconnReply';
}

guardedTest(
  "step 1: the worker answers the primary's offer (newconnReply) before its server's 'connection' event fires",
  { timeout: TIMEOUT, skip: onNode && "node's newconn and its answer are internal to Node: there is nothing of ours to trace" },
  async () => {
    const result = await runFixture('answer-first.ts', { CLUSTER_TRACE: '1' });
    assertSucceeded(result, 'step 1: one worker, three connections, traced');
    // Worker 1 prints both kinds of line itself, so their order is the order
    // in which it did the two things.
    const events = result.lines
      .map((line) => (isReply(line) ? 'newconnReply' : line === "worker 1: 'connection' event" ? 'connection' : undefined))
      .filter((event) => event !== undefined);
    const expected = ['newconnReply', 'connection', 'newconnReply', 'connection', 'newconnReply', 'connection'];
    assert.ok(
      events.join() === expected.join(),
      `step 1: node's worker answers each offer before its server sees the connection: for each of the 3 connections, ` +
        `worker 1's answer (newconnReply in the trace) should come before its server's 'connection' event.\n` +
        `  expected: ${expected.join(', ')}\n  got:      ${events.join(', ') || '(nothing)'}${describeOutput(result)}`,
    );
    const served = result.lines.filter((line) => line === 'greeted by: worker 1').length;
    assert.equal(served, 3, `step 1: every connection should be served by worker 1; ${served} of 3 were${describeOutput(result)}`);
  },
);

guardedTest(
  'regression (lesson 5): a full worker (maxConnections reached) refuses its offers, and the other worker gets those connections',
  { timeout: TIMEOUT },
  async () => {
    const result = await runFixture('full.ts', { MAX_CONNECTIONS: '1' });
    assertSucceeded(result, 'step 1 (lesson 5 on the new code): two workers with maxConnections 1, one of them holding a connection');
    const held = /^held open: (worker \d)$/.exec(result.lines.find((line) => line.startsWith('held open: ')) ?? '')?.[1];
    assert.ok(held !== undefined, `step 1 (lesson 5 on the new code): the first connection should be served${describeOutput(result)}`);
    const other = held === 'worker 1' ? 'worker 2' : 'worker 1';
    const answered = result.lines.find((line) => line.startsWith('the 10 others answered by: ')) ?? '(no such line)';
    const lost = answered.includes('closed without a word')
      ? `: connections were lost. The full worker said yes to them, so the primary let go of them, and then it had ` +
        `no room for them. A worker decides, then answers`
      : '';
    assert.ok(
      answered === `the 10 others answered by: ${other}`,
      `step 1 (lesson 5 on the new code): while ${held} is full (maxConnections 1, one connection open), node's ${held} ` +
        `refuses every offer, so ${other} answers all 10 other connections. Got "${answered}"${lost}${describeOutput(result)}`,
    );
    assert.ok(
      result.lines.includes('after the held connection closed, answered by: worker 1, worker 2'),
      `step 1 (lesson 5 on the new code): once the held connection has closed, both workers should take connections again${describeOutput(result)}`,
    );
  },
);

guardedTest(
  'regression (lesson 5): a refused connection is not lost: the primary offers it again until the worker has room for it',
  { timeout: TIMEOUT },
  async () => {
    const result = await runFixture('refused-waits.ts', { MAX_CONNECTIONS: '1' });
    assertSucceeded(result, 'step 1 (lesson 5 on the new code): one worker with maxConnections 1, a second connection while the first is open');
    for (const line of [
      'held open: worker 1',
      'while the first is open, the second got an answer: false',
      'once the first closed, the second was answered by: worker 1',
    ]) {
      assert.ok(result.lines.includes(line), `step 1 (lesson 5 on the new code): expected the line "${line}"${describeOutput(result)}`);
    }
  },
);
