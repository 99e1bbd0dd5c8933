// The demo: Example A with 4 workers on one port, under round-robin, then
// under the shared handle, with a burst of 200 requests each time; and with
// --trace (CLUSTER_TRACE=1), the messages of this lesson.
import assert from 'node:assert/strict';
import { guardedTest } from '../../../testing/guard';
import { onNode } from '../../../testing/target';
import { describeOutput, runProgram, type ProgramResult } from '../../../testing/program';
import { assertBefore as assertOrder, assertSameLines, assertTracedBefore, tracedMessages } from '../../../testing/lines';

const WORKERS = [1, 2, 3, 4];

/** testing/lines' order check, its message starting with the step it belongs to. */
function assertBefore(run: ProgramResult, earlier: string, later: string, what = 'step 1-4', check = assertOrder): void {
  try {
    check(run, earlier, later);
  } catch (error) {
    (error as Error).message = `${what}: ${(error as Error).message}`;
    throw error;
  }
}

/** The same for two trace lines from two processes: by their times, not by where they landed in the output. */
function assertSentBefore(run: ProgramResult, earlier: string, later: string, what: string): void {
  assertBefore(run, earlier, later, what, assertTracedBefore);
}

/** The lines of one run (one policy): from its heading to the next heading. */
function part(result: ProgramResult, heading: string): ProgramResult {
  const start = result.lines.indexOf(heading);
  assert.ok(start !== -1, `step 1-4: the demo should print "${heading}"${describeOutput(result)}`);
  const next = result.lines.findIndex((line, index) => index > start && line.startsWith('== '));
  return { ...result, lines: result.lines.slice(start + 1, next === -1 ? undefined : next) };
}

/** Checks one run's Example A lines; returns how many requests each worker answered. */
function checkExampleA(run: ProgramResult, what: string): Map<number, number> {
  const listening = run.lines.find((line) => line.startsWith('worker1 listening on '));
  const port = /:(\d+)$/.exec(listening ?? '')?.[1];
  assert.ok(port !== undefined && Number(port) > 0, `${what}: worker1 should listen on a port${describeOutput(run)}`);
  const counts = new Map<number, number>();
  for (const line of run.lines) {
    const match = /^ {2}worker(\d) +(\d+) #*$/.exec(line);
    if (match) counts.set(Number(match[1]), Number(match[2]));
  }
  const countLines = run.lines.filter((line) => /^ {2}worker\d /.test(line));
  assertSameLines(
    run,
    [
      ...WORKERS.flatMap((id) => [
        `fork：worker${id}`,
        `worker${id} is online now`,
        `got the worker${id}'s msg：hello master, I am worker${id}`,
        `worker${id} got the master msg：hello worker${id}`,
        // one port for all four: the same line but for the worker's number
        `worker${id} listening on 127.0.0.1:${port}`,
        `worker${id} is disconnected.`,
        `worker${id} exit.`,
      ]),
      '200 requests on fresh connections, answered by:',
      ...countLines,
    ],
    what,
  );
  assert.equal(countLines.length, 4, `${what}: one count per worker${describeOutput(run)}`);
  for (const id of WORKERS) {
    assertBefore(run, `fork：worker${id}`, `worker${id} is online now`, what);
    assertBefore(run, `worker${id} is online now`, `worker${id} listening on 127.0.0.1:${port}`, what);
    assertBefore(run, `worker${id} listening on 127.0.0.1:${port}`, '200 requests on fresh connections, answered by:', what);
    assertBefore(run, '200 requests on fresh connections, answered by:', `worker${id} is disconnected.`, what);
  }
  const answered = [...counts.values()].reduce((sum, count) => sum + count, 0);
  assert.equal(answered, 200, `${what}: every request should be answered${describeOutput(run)}`);
  return counts;
}

guardedTest('step 1-4: the demo runs Example A under both policies; under round-robin every worker answers over one port', { timeout: 60_000 }, async () => {
  const result = await runProgram('lessons/05-round-robin/demo.ts', { env: { WORKERS: '4', PORT: '0' } });
  assert.equal(result.code, 0, `step 1-4: the demo failed${describeOutput(result)}`);
  const roundRobin = checkExampleA(part(result, '== rr: cluster.schedulingPolicy is 2, round-robin (SCHED_RR) =='), 'step 3: under round-robin');
  for (const id of WORKERS) {
    assert.ok((roundRobin.get(id) ?? 0) > 0, `step 3: under round-robin worker${id} should answer${describeOutput(result)}`);
  }
  checkExampleA(part(result, '== none: cluster.schedulingPolicy is 1, shared handle (SCHED_NONE) =='), 'step 4: under the shared handle');
});

guardedTest(
  "step 3-4: --trace shows round-robin's newconn and newconnReply for each connection, and the shared handle's listener travelling with queryServerReply and serverLent",
  { timeout: 60_000, skip: onNode && "node:cluster's own messages are internal to Node: there is nothing of ours to trace" },
  async () => {
    const result = await runProgram('lessons/05-round-robin/demo.ts', { env: { WORKERS: '2', PORT: '0', CLUSTER_TRACE: '1' } });
    assert.equal(result.code, 0, `step 3-4: the demo failed${describeOutput(result)}`);

    // Round-robin: the primary offers each of the 200 connections, socket and
    // all, and the worker answers that request; a worker answers what it took.
    const roundRobin = part(result, '== rr: cluster.schedulingPolicy is 2, round-robin (SCHED_RR) ==');
    const rr = tracedMessages(roundRobin);
    for (const id of [1, 2]) {
      const offers = rr.filter((each) => each.fromPrimary && each.worker === id && each.act === 'newconn');
      const replies = rr.filter((each) => !each.fromPrimary && each.worker === id && each.act === 'newconnReply');
      const answered = Number(/^ {2}worker\d +(\d+) /.exec(roundRobin.lines.find((line) => line.startsWith(`  worker${id} `)) ?? '')?.[1]);
      assert.equal(offers.length, answered, `step 3: one newconn per request worker ${id} answered${describeOutput(roundRobin)}`);
      assert.ok(offers.every((offer) => offer.handle === 'Socket'), `step 3: each newconn carries its socket${describeOutput(roundRobin)}`);
      assert.deepEqual(
        replies.map((reply) => [reply.fields.ack, reply.fields.accepted]),
        offers.map((offer) => [offer.fields.seq, true]),
        `step 3: worker ${id} answers each offer, in order: accepted${describeOutput(roundRobin)}`,
      );
      for (const [index, offer] of offers.entries()) assertSentBefore(roundRobin, offer.line, replies[index].line, 'step 3');
    }

    // Shared handle: the listening server itself travels, first from the
    // primary's own listen, then borrowed from the worker that holds it.
    const shared = tracedMessages(part(result, '== none: cluster.schedulingPolicy is 1, shared handle (SCHED_NONE) =='));
    const replies = shared.filter((each) => each.act === 'queryServerReply');
    assert.deepEqual(replies.map((reply) => reply.handle), ['Server', 'Server'], `step 4: each queryServerReply carries the listener${describeOutput(result)}`);
    const [first, second] = replies;
    const lend = shared.filter((each) => each.act === 'lendServer');
    const lent = shared.filter((each) => each.act === 'serverLent');
    assert.deepEqual(
      [...lend, ...lent].map((each) => [each.fromPrimary, each.worker, each.handle]),
      [
        [true, first.worker, undefined],
        [false, first.worker, 'Server'],
      ],
      `step 4: for the second worker, the primary borrows the first one's listener${describeOutput(result)}`,
    );
    assert.equal(lent[0].fields.ack, lend[0].fields.seq, `step 4: serverLent answers the primary's lendServer${describeOutput(result)}`);
    assertBefore(result, first.line, lend[0].line, 'step 4');
    assertSentBefore(result, lent[0].line, second.line, 'step 4');
  },
);
