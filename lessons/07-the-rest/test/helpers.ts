// What lesson 7's test files share: running a fixture, a temporary folder for
// pipes, and the assertion messages' shape.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeOutput, runProgram, type ProgramResult } from '../../../testing/program';

export const TIMEOUT = 90_000;

/** Runs fixtures/`name` as a primary, with extra environment variables. */
export function runFixture(name: string, env: Record<string, string> = {}): Promise<ProgramResult> {
  return runProgram(`lessons/07-the-rest/test/fixtures/${name}`, { env });
}

/** A fresh folder under the system's temporary folder, removed when `body` is done, pass or fail. */
export async function inTemporaryFolder<T>(body: (folder: string) => Promise<T>): Promise<T> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-lesson7-'));
  try {
    return await body(folder);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

export function assertSucceeded(result: ProgramResult, what: string): void {
  assert.equal(result.code, 0, `${what}: the program failed${describeOutput(result)}`);
}

/** Each of `lines` was printed (in any order, among others). */
export function assertPrinted(result: ProgramResult, lines: string[], what: string): void {
  const missing = lines.filter((line) => !result.lines.includes(line));
  assert.deepEqual(missing, [], `${what}: these lines are missing${describeOutput(result)}`);
}
