// What lesson 8's tests share: running a supervised fixture, waiting for its
// lines, and reading what its workers printed.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeOutput, startProgram, type RunningProgram } from '../../../testing/program';

export { sleep };

export interface Fixture extends RunningProgram {
  port: number;
}

/**
 * Starts a fixture and waits for its port (and, unless `waitFor` says
 * otherwise, for "all N ready"). `step`: the step a failure should name.
 */
export async function startFixture(
  file: string,
  step: number,
  env: Record<string, string> = {},
  waitFor: RegExp = /^all \d+ ready$/,
): Promise<Fixture> {
  const program = startProgram(`lessons/08-resilience/test/fixtures/${file}`, { env });
  let port = 0;
  try {
    port = Number((await program.waitForLine(/^port \d+$/)).split(' ')[1]);
    await program.waitForLine(waitFor);
  } catch (error) {
    program.child.kill('SIGKILL');
    const result = await program.finished;
    assert.fail(`step ${step}: the supervised cluster should start and print ${waitFor}${describeOutput(result)}\n(${(error as Error).message.split('\n')[0]})`);
  }
  return { ...program, port };
}

/** The options of the generic fixture (fixtures/supervised.ts). */
export function withOptions(options: object): Record<string, string> {
  return { SUPERVISOR_OPTIONS: JSON.stringify(options) };
}

/**
 * Waits for a line, at most `ms` (a generous bound: it only ends a run that
 * went wrong), or fails naming the step, with the output so far.
 */
export async function expectLine(fixture: Fixture, pattern: RegExp, step: number, what: string, ms = 20_000): Promise<string> {
  const line = await lineWithin(fixture, pattern, ms);
  if (line !== undefined) return line;
  if (fixture.child.exitCode === null && fixture.child.signalCode === null) await endFixture(fixture, 'SIGKILL');
  const result = await fixture.finished;
  assert.fail(`step ${step}: ${what} (no line matching ${pattern})${describeOutput(result)}`);
}

/** Waits for a line for at most `ms`; undefined if it did not come. */
export async function lineWithin(fixture: Fixture, pattern: RegExp, ms: number): Promise<string | undefined> {
  // The bound is cancelled once the line came: a timer left running would keep
  // the test file's process alive until it fired.
  const bound = new AbortController();
  const timeUp = sleep(ms, undefined, { signal: bound.signal }).then(
    () => undefined,
    () => undefined,
  );
  try {
    return await Promise.race([fixture.waitForLine(pattern).catch(() => undefined), timeUp]);
  } finally {
    bound.abort();
  }
}

/** Ends a fixture (SIGWINCH: its finish) and waits for it, killing it if it does not end in 10 s. */
export async function endFixture(fixture: Fixture, signal: NodeJS.Signals = 'SIGWINCH') {
  fixture.child.kill(signal);
  const timer = setTimeout(() => fixture.child.kill('SIGKILL'), 10_000);
  const result = await fixture.finished;
  clearTimeout(timer);
  return result;
}
