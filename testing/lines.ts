// Assertions for output that several processes print at once. Across
// processes the interleaving changes from run to run, so we never compare
// against one interleaving: we check the set of lines, then only the orders
// that must hold.
import assert from 'node:assert/strict';
import { describeOutput, type ProgramResult } from './program';

/** The same lines, each as many times, in any order. */
export function assertSameLines(result: ProgramResult, expected: string[], what: string): void {
  const sorted = (lines: string[]) => [...lines].sort();
  assert.deepEqual(sorted(result.lines), sorted(expected), `${what}: not the expected lines${describeOutput(result)}`);
}

/** `earlier` is printed before `later` (both exactly once). */
export function assertBefore(result: ProgramResult, earlier: string, later: string): void {
  const first = indexOfOnly(result, earlier);
  const second = indexOfOnly(result, later);
  assert.ok(first < second, `"${earlier}" should come before "${later}"${describeOutput(result)}`);
}

function indexOfOnly(result: ProgramResult, line: string): number {
  const count = result.lines.filter((candidate) => candidate === line).length;
  assert.equal(count, 1, `"${line}" should be printed exactly once, was printed ${count} times${describeOutput(result)}`);
  return result.lines.indexOf(line);
}
