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

/**
 * Trace line `earlier` was written no later than trace line `later`, by the
 * times they carry (`[trace 17:19:08.208]`). Each process writes its own
 * trace lines to the output they share; when that output is busy, a line can
 * wait in its writer and reach the output after a line another process wrote
 * later (once in a CI run on Node 26, a worker's newconnReply came out before
 * the primary's newconn it answered). The time is read before the message
 * goes, so the times keep the order that the output may lose.
 */
export function assertTracedBefore(result: ProgramResult, earlier: string, later: string): void {
  const first = traceTime(result, earlier);
  let second = traceTime(result, later);
  if (second < first - HALF_A_DAY) second += 2 * HALF_A_DAY; // the run crossed midnight
  assert.ok(first <= second, `"${earlier}" should be sent before "${later}"${describeOutput(result)}`);
}

const HALF_A_DAY = 12 * 60 * 60 * 1000;

/** A trace line's time, in milliseconds since midnight; the line must be printed exactly once. */
function traceTime(result: ProgramResult, line: string): number {
  indexOfOnly(result, line);
  const traced = parseTraceLine(line);
  assert.ok(traced, `"${line}" should be a trace line, with its time`);
  return traced.time;
}

// ---------------------------------------------------------------- trace lines

/** One message as `--trace` (CLUSTER_TRACE=1) prints it. */
export interface TracedMessage {
  /** the whole line, as printed */
  line: string;
  /** when it was sent: milliseconds since midnight */
  time: number;
  /** "worker 2 → primary" or "primary → worker 2" */
  direction: string;
  /** the worker that sent it or receives it */
  worker: number;
  fromPrimary: boolean;
  /** the message's act: "online", "queryServer", "newconn", ... */
  act: string;
  /** its other fields (none: {}) */
  fields: Record<string, unknown>;
  /** the handle sent with it ("+ server" in the line), if any */
  handle?: string;
}

/**
 * `  [trace 17:19:08.208] worker 2 → primary   queryServer {"seq":1,...}`, and
 * `  [trace 17:19:08.210] primary → worker 2   newconn {"key":"..."} + socket`.
 */
const TRACE_LINE =
  /^ *\[trace (\d\d):(\d\d):(\d\d)\.(\d{3})\] (worker (\d+) → primary|primary → worker (\d+)) +(\w+)(?: (\{.*?\}))?(?: \+ (\w+))?$/;

/** The message a trace line shows; undefined for any other line. */
export function parseTraceLine(line: string): TracedMessage | undefined {
  const match = TRACE_LINE.exec(line);
  if (!match) return undefined;
  const [hours, minutes, seconds, milliseconds] = match.slice(1, 5).map(Number);
  const [direction, sender, receiver, act, fields, handle] = match.slice(5);
  return {
    line,
    time: ((hours * 60 + minutes) * 60 + seconds) * 1000 + milliseconds,
    direction,
    worker: Number(sender ?? receiver),
    fromPrimary: receiver !== undefined,
    act,
    fields: fields ? (JSON.parse(fields) as Record<string, unknown>) : {},
    handle,
  };
}

/** Every traced message of a run, in the order the lines came. */
export function tracedMessages(result: Pick<ProgramResult, 'lines'>): TracedMessage[] {
  return result.lines.flatMap((line) => parseTraceLine(line) ?? []);
}
