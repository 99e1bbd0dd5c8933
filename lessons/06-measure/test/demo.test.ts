// The demo: 4 workers, a client in a process of its own, and a report per
// policy. It measures lesson 5's balancer, whatever the order step 1 chooses,
// so it passes on the starter too: measure before you change anything. The
// test checks that the report is there and adds up; it asserts no timing and
// no CPU figure beyond "a number": those depend on the machine.
import assert from 'node:assert/strict';
import { guardedTest } from '../../../testing/guard';
import { describeOutput, runProgram, type ProgramResult } from '../../../testing/program';

const WORKERS = 4;
const CONNECTIONS = 400;

/** The lines of one run (one policy): from its heading to the next heading. */
function part(result: ProgramResult, heading: string): ProgramResult {
  const start = result.lines.indexOf(heading);
  assert.ok(start !== -1, `step 1 (lesson 5 on the new code): the demo should print "${heading}"${describeOutput(result)}`);
  const next = result.lines.findIndex((line, index) => index > start && line.startsWith('== '));
  return { ...result, lines: result.lines.slice(start + 1, next === -1 ? undefined : next) };
}

/** Checks one run's report; returns how many requests each worker answered. */
function checkReport(run: ProgramResult, what: string): number[] {
  const expectLine = (pattern: RegExp, description: string) => {
    const found = run.lines.map((line) => pattern.exec(line)).filter((match) => match !== null);
    assert.equal(found.length, 1, `step 1 (lesson 5 on the new code): ${what}: one line ${description} expected${describeOutput(run)}`);
    return found[0];
  };
  expectLine(new RegExp(`^${WORKERS} workers listening on 127\\.0\\.0\\.1:\\d+$`), `"${WORKERS} workers listening on ..."`);
  expectLine(new RegExp(`^warm-up: ${CONNECTIONS / 2} connections, primary CPU \\d+\\.\\d µs per connection \\(not counted\\)$`), 'about the warm-up');
  expectLine(new RegExp(`^${CONNECTIONS} requests on fresh connections, answered by:$`), 'heading the counts');

  const counts = new Map<number, number>();
  for (const line of run.lines) {
    const match = /^ {2}worker(\d+) +(\d+) #*$/.exec(line);
    if (match) counts.set(Number(match[1]), Number(match[2]));
  }
  assert.deepEqual([...counts.keys()].sort(), [1, 2, 3, 4], `step 1 (lesson 5 on the new code): ${what}: one count per worker${describeOutput(run)}`);
  const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
  assert.equal(total, CONNECTIONS, `step 1 (lesson 5 on the new code): ${what}: the counts should add up to ${CONNECTIONS}${describeOutput(run)}`);

  const values = [...counts.values()];
  const spread = Math.min(...values) === 0 ? '∞' : (Math.max(...values) / Math.min(...values)).toFixed(2);
  expectLine(new RegExp(`^spread \\(busiest / idlest worker\\): ${spread}$`), `with the spread, ${spread}, from those counts`);
  const cpu = expectLine(/^primary CPU per connection: (\d+\.\d) µs \(user (\d+\.\d) µs \+ system (\d+\.\d) µs\)$/, "with the primary's CPU");
  const [all, user, system] = cpu.slice(1).map(Number);
  assert.ok(Math.abs(user + system - all) <= 0.11, `step 1 (lesson 5 on the new code): ${what}: user + system should make the total${describeOutput(run)}`);
  expectLine(/^wall time: \d+\.\d\d s, \d+ requests\/s$/, 'with the wall time');
  return values;
}

guardedTest(
  "regression (lesson 5): the demo measures both policies: counts per worker that add up, the spread, the primary's CPU per connection",
  { timeout: 90_000 },
  async () => {
    const result = await runProgram('lessons/06-measure/demo.ts', {
      env: { WORKERS: String(WORKERS), PORT: '0', CONNECTIONS: String(CONNECTIONS) },
    });
    assert.equal(result.code, 0, `step 1 (lesson 5 on the new code): the demo should run to its end${describeOutput(result)}`);
    const roundRobin = checkReport(part(result, `== rr: round-robin (SCHED_RR), ${WORKERS} workers ==`), 'round-robin');
    assert.ok(roundRobin.every((count) => count > 0), `step 1 (lesson 5 on the new code): under round-robin every worker should answer${describeOutput(result)}`);
    checkReport(part(result, `== none: shared handle (SCHED_NONE), ${WORKERS} workers ==`), 'shared handle');
  },
);
