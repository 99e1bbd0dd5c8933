// The process guard: every test that starts processes goes through it.
//
// Before the test body runs, the guard puts a fresh token into this process's
// environment. Every process the test starts (a program, its workers, their
// children) inherits the token, even if it is later orphaned and adopted by
// init. When the body ends, pass or fail, the guard looks through /proc for
// processes that still carry the token: it gives them a moment to finish
// exiting, then kills them, waits until they are gone, and fails the test
// that left them behind.
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import test from 'node:test';

const GUARD_VARIABLE = 'CLUSTER_FROM_SCRATCH_TEST_GUARD';
/** How long a process may take to finish exiting after the test body ends. */
const GRACE_MS = 1000;
const DEFAULT_TIMEOUT_MS = 15_000;
/**
 * The self-check sets this to k when every test of a step after k must fail
 * (k = 0 on a starter; on the starter with steps 1..k done). In such a test a
 * TODO line is a definite failure: see stopsAtTodo().
 */
const STOP_AT_TODO_VARIABLE = 'CLUSTER_STOP_AT_TODO_AFTER_STEP';

let stopAtTodo = false;

/**
 * True while a test runs that the self-check expects to fail at a stub: a
 * test of a step after CLUSTER_STOP_AT_TODO_AFTER_STEP. Then a program or a
 * worker that prints a TODO line ends the wait at once, with that TODO as the
 * failure, instead of waiting out a deadline for something a stub will never
 * do. Otherwise (a learner's run, the solutions, node:cluster) nothing changes.
 */
export function stopsAtTodo(): boolean {
  return stopAtTodo;
}

/** A TODO line that stopped a program in this test: the test fails with it, whatever else it saw. */
let stoppedAtTodo: string | undefined;

let currentToken: string | undefined;
let stopping: NodeJS.Timeout | undefined;

/**
 * Stops the test at a TODO line (see stopsAtTodo()): every process the test
 * started is killed (a program's workers too, which hold its output open),
 * again every 200 ms until the test ends (a worker forked as the first kill
 * looked would hold it open as well), and the test fails with that line,
 * whatever else it saw.
 */
export function stopAtTodoLine(line: string): void {
  stoppedAtTodo ??= line;
  const token = currentToken;
  if (token === undefined || stopping) return;
  const killAll = () => {
    for (const pid of findProcessesCarrying(token)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // it exited on its own meanwhile
      }
    }
  };
  killAll();
  stopping = setInterval(killAll, 200);
}

/** A stub's message, as todo() throws it: "TODO lesson 2, step 3: what node:cluster does ...". */
export const TODO_LINE = /TODO lesson \d+, step \d+:.*/;

/** The step a test checks, from its name ("step 2-4: ..." is step 4's); undefined for a regression test. */
function stepOfTest(name: string): number | undefined {
  const match = /^step (\d+)(?:-(\d+))?:/.exec(name);
  return match ? Number(match[2] ?? match[1]) : undefined;
}

function mustFailAtTodo(name: string): boolean {
  const after = process.env[STOP_AT_TODO_VARIABLE];
  const step = stepOfTest(name);
  return after !== undefined && after !== '' && step !== undefined && step > Number(after);
}

let testsStarted = 0;

export interface GuardedTestOptions {
  /** milliseconds the body may take; the guard's own cleanup comes on top */
  timeout?: number;
  /** skip the test, saying why */
  skip?: string | false;
}

/** A node:test `test()` whose processes are tracked, reaped and checked. */
export function guardedTest(name: string, options: GuardedTestOptions, body: () => Promise<void>): void {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  // node:test's own timeout is a backstop only: ours fires first, so the
  // cleanup still runs when a body hangs.
  test(name, { timeout: timeout + GRACE_MS + 5000, skip: options.skip || undefined }, async () => {
    const token = `${process.pid}-${++testsStarted}`;
    process.env[GUARD_VARIABLE] = token;
    currentToken = token;
    stopAtTodo = mustFailAtTodo(name);
    stoppedAtTodo = undefined;
    let failure: unknown;
    try {
      await withTimeout(body(), timeout);
    } catch (error) {
      failure = error;
    } finally {
      delete process.env[GUARD_VARIABLE];
      currentToken = undefined;
      stopAtTodo = false;
      clearInterval(stopping);
      stopping = undefined;
    }
    const leftBehind = await reapProcessesCarrying(token);
    const todo = stoppedAtTodo as string | undefined; // set meanwhile by stopAtTodoLine()
    stoppedAtTodo = undefined;
    if (todo !== undefined) {
      // The stub is why the test failed: its message first, then what the test saw.
      const saw = failure instanceof Error ? `\nwhat the test saw then: ${failure.message}` : '';
      throw new Error(`stopped at a stub: ${todo.replace(/^\w*Error: /, '')}${saw}`);
    }
    if (failure !== undefined) throw failure;
    if (leftBehind.length > 0) {
      throw new Error(`the test left ${leftBehind.length} process(es) behind (now killed):\n  ${leftBehind.join('\n  ')}`);
    }
  });
}

async function withTimeout(work: Promise<void>, milliseconds: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${milliseconds} ms`)), milliseconds);
  });
  try {
    await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Describes ("pid command") every process left with the token, after killing them all. */
async function reapProcessesCarrying(token: string): Promise<string[]> {
  let found = findProcessesCarrying(token);
  for (let waited = 0; found.length > 0 && waited < GRACE_MS; waited += 50) {
    await sleep(50);
    found = findProcessesCarrying(token);
  }
  const described = found.map((pid) => `${pid} ${commandLineOf(pid)}`);
  for (const pid of found) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // it exited on its own meanwhile
    }
  }
  for (let waited = 0; findProcessesCarrying(token).length > 0 && waited < 5000; waited += 50) {
    await sleep(50);
  }
  return described;
}

function findProcessesCarrying(token: string): number[] {
  const marker = `${GUARD_VARIABLE}=${token}`;
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let environment: string;
    try {
      environment = fs.readFileSync(`/proc/${entry}/environ`, 'latin1');
    } catch {
      continue; // gone already, or not ours to read
    }
    if (environment.split('\0').includes(marker) && !isLoaderHelper(Number(entry))) pids.push(Number(entry));
  }
  return pids;
}

/**
 * tsx compiles TypeScript with esbuild, which it runs as a long-lived helper
 * process (`esbuild --service`) started the first time a changed file is
 * compiled. That helper belongs to the loader, not to the test: it is not a
 * leak, and it goes when the test file's process ends.
 */
function isLoaderHelper(pid: number): boolean {
  return /\/esbuild --service/.test(commandLineOf(pid));
}

function commandLineOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim();
  } catch {
    return '(exited)';
  }
}
