// A program the tools start (a demo, a test run, a program under `npm run
// try`, a bench server) runs in a process group of its own (spawn's
// `detached: true`): one signal to the group reaches the program and every
// worker it forked, and nothing it started can outlive it.
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** Sends `signal` to every process of the group led by `pid`; false when none is left (signal 0 only asks). */
export function signalGroup(pid: number | undefined, signal: NodeJS.Signals | 0): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** True while some process of the group is still there (signal 0 checks without sending anything). */
export const groupIsAlive = (pid: number | undefined): boolean => signalGroup(pid, 0);

/** Waits up to `ms` for the group to empty; true when it did. */
export async function groupEnds(pid: number | undefined, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (groupIsAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

/**
 * After the program (its primary) has ended: its workers get `graceMs` to end
 * as they do on node:cluster (they follow their primary), then whatever is
 * left of the group is killed.
 */
export async function reapGroup(pid: number | undefined, graceMs: number): Promise<void> {
  await groupEnds(pid, graceMs);
  signalGroup(pid, 'SIGKILL');
}

/**
 * Stops the whole group: SIGTERM, `graceMs` to end, then SIGKILL. A process
 * killed but not yet reaped still counts as in its group: it gets a moment
 * more, then we stop waiting rather than hang on it.
 */
export async function stopGroup(pid: number | undefined, graceMs: number): Promise<void> {
  signalGroup(pid, 'SIGTERM');
  await reapGroup(pid, graceMs);
  await groupEnds(pid, 5000);
}

/**
 * Ctrl-C (and the other `signals`) sent to this tool reach the program's
 * group too; the returned function stops forwarding once the program is gone.
 */
export function forwardSignals(pid: number | undefined, signals: NodeJS.Signals[]): () => void {
  const forward = (signal: NodeJS.Signals) => void signalGroup(pid, signal);
  for (const signal of signals) process.on(signal, forward);
  return () => {
    for (const signal of signals) process.off(signal, forward);
  };
}

/** The shell's way of reporting a death by signal: 128 + its number. */
export function exitStatusOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signal ? (os.constants.signals[signal] ?? 0) : 0);
}
