// The demo: Example A with 4 workers on one port, under round-robin, then
// under the shared handle, with a burst of 200 requests each time.
import assert from 'node:assert/strict';
import { guardedTest } from '../../../testing/guard';
import { describeOutput, runProgram, type ProgramResult } from '../../../testing/program';
import { assertBefore, assertSameLines } from '../../../testing/lines';

const WORKERS = [1, 2, 3, 4];

/** The lines of one run (one policy): from its heading to the next heading. */
function part(result: ProgramResult, heading: string): ProgramResult {
  const start = result.lines.indexOf(heading);
  assert.ok(start !== -1, `the demo should print "${heading}"${describeOutput(result)}`);
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
    assertBefore(run, `fork：worker${id}`, `worker${id} is online now`);
    assertBefore(run, `worker${id} is online now`, `worker${id} listening on 127.0.0.1:${port}`);
    assertBefore(run, `worker${id} listening on 127.0.0.1:${port}`, '200 requests on fresh connections, answered by:');
    assertBefore(run, '200 requests on fresh connections, answered by:', `worker${id} is disconnected.`);
  }
  const answered = [...counts.values()].reduce((sum, count) => sum + count, 0);
  assert.equal(answered, 200, `${what}: every request should be answered${describeOutput(run)}`);
  return counts;
}

guardedTest('step 1-4: the demo runs Example A under both policies; under round-robin every worker answers over one port', { timeout: 60_000 }, async () => {
  const result = await runProgram('lessons/05-round-robin/demo.ts', { env: { WORKERS: '4', PORT: '0' } });
  assert.equal(result.code, 0, `the demo failed${describeOutput(result)}`);
  const roundRobin = checkExampleA(part(result, '== rr: cluster.schedulingPolicy is 2, round-robin (SCHED_RR) =='), 'round-robin');
  for (const id of WORKERS) {
    assert.ok((roundRobin.get(id) ?? 0) > 0, `step 3: under round-robin worker${id} should answer${describeOutput(result)}`);
  }
  checkExampleA(part(result, '== none: cluster.schedulingPolicy is 1, shared handle (SCHED_NONE) =='), 'shared handle');
});
