// What lesson 4's tests watch on a worker they fork: the events in the order
// they came, and (with silent: true) what the worker printed. Every wait has a
// deadline and, when it runs out, a message that names the step and shows the
// worker's output (a TODO in a starter comes first, see describeOutput).
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Worker } from 'node:cluster';
import { describeOutput } from '../../../testing/program';

export interface SeenEvent {
  /** 'online', 'listening', 'disconnect', 'exit', 'error', or 'close' (the process's stdio and all) */
  event: string;
  args: unknown[];
  /** exitedAfterDisconnect at the moment the event came */
  exitedAfterDisconnect: boolean | undefined;
}

export interface WatchedWorker {
  worker: Worker;
  events: SeenEvent[];
  /** stdout, one entry per line (silent workers only) */
  lines: string[];
  stderr: string;
  /** has `event` come yet? */
  has(event: string): boolean;
  /** the arguments of `event`, once it comes; fails with `what` after `milliseconds` */
  until(event: string, what: string, milliseconds?: number): Promise<unknown[]>;
  /** once the worker has printed `line` */
  untilLine(line: string, what: string, milliseconds?: number): Promise<void>;
  /** the worker's output, for failure messages */
  describe(): string;
}

const WORKER_EVENTS = ['online', 'listening', 'disconnect', 'exit', 'error'];
/** The events that may still come after 'exit'. */
const ENDING_EVENTS = ['disconnect', 'exit', 'close'];
// Long enough for a worker to start on a busy machine: with the TypeScript
// loader a worker takes over 5 s to print its first line when the machine's
// load is 25 (measured while several test suites ran at once). A wait that
// runs out fails with a message naming the step, before the test's timeout.
const DEFAULT_WAIT_MS = 10_000;

/** Call right after fork(), before awaiting anything, so that no event is missed. */
export function watch(worker: Worker): WatchedWorker {
  const events: SeenEvent[] = [];
  const record = (event: string, args: unknown[]) =>
    events.push({ event, args, exitedAfterDisconnect: worker.exitedAfterDisconnect });
  for (const event of WORKER_EVENTS) worker.on(event, (...args: unknown[]) => record(event, args));
  worker.process.once('close', (...args: unknown[]) => record('close', args));

  const watched: WatchedWorker = {
    worker,
    events,
    lines: [],
    stderr: '',
    has: (event) => events.some((seen) => seen.event === event),
    async until(event, what, milliseconds = DEFAULT_WAIT_MS) {
      const deadline = Date.now() + milliseconds;
      for (;;) {
        const seen = events.find((candidate) => candidate.event === event);
        if (seen) return seen.args;
        if (watched.has('exit') && !ENDING_EVENTS.includes(event)) {
          await watched.until('close', what, 1000).catch(() => {}); // its last words, if any, are on their way
          throw new Error(`${what}: worker ${worker.id} exited without a '${event}' event${watched.describe()}`);
        }
        if (Date.now() > deadline) {
          throw new Error(`${what}: worker ${worker.id} gave no '${event}' event within ${milliseconds} ms${watched.describe()}`);
        }
        await sleep(10);
      }
    },
    async untilLine(line, what, milliseconds = DEFAULT_WAIT_MS) {
      const deadline = Date.now() + milliseconds;
      while (!watched.lines.includes(line)) {
        if (Date.now() > deadline) throw new Error(`${what}: worker ${worker.id} did not print "${line}"${watched.describe()}`);
        await sleep(10);
      }
    },
    describe: () =>
      describeOutput(watched) + `\n--- events in the primary ---\n${events.map((seen) => seen.event).join(', ') || '(none)'}`,
  };

  let partial = '';
  worker.process.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const pieces = (partial + chunk).split('\n');
    partial = pieces.pop()!;
    watched.lines.push(...pieces);
  });
  worker.process.stderr?.setEncoding('utf8').on('data', (chunk: string) => (watched.stderr += chunk));
  return watched;
}

/** Is the process gone? A zombie (exited, not yet reaped by its new parent) counts as gone. */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true; // ESRCH: no such process
  }
  try {
    // /proc/<pid>/stat: "pid (command) state ...": Z is a zombie.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}
