// The crash-loop guard. Backoff slows a crashing worker down; it does not
// stop it. A version that cannot start would be restarted forever, every 15 s,
// and hide among the logs. More than `maxRestarts` exits of one slot within
// `restartWindow` means the fault is not going away by itself: the slot
// stops, the supervisor says so once, and the other workers keep serving.
import type { Settings } from './supervisor-options';

export type CrashLoopSettings = Pick<Settings, 'maxRestarts' | 'restartWindow'>;

/**
 * `exits`: the times (ms, as Date.now() gives) at which the slot's workers
 * exited without being asked to, the last one included. Drops the times that
 * are older than the window (so the list stays short) and says whether the
 * slot is crash-looping.
 */
export function isCrashLooping(exits: number[], now: number, settings: CrashLoopSettings): boolean {
  // #step 8.4 crash-loop
  while (exits.length > 0 && exits[0] <= now - settings.restartWindow) exits.shift();
  return exits.length > settings.maxRestarts;
  // #endstep 8.4 crash-loop
}

/** The one line that says a slot has stopped, and why. */
export function crashLoopMessage(slot: number, workerId: number, exits: number, settings: CrashLoopSettings, how: string): string {
  const seconds = settings.restartWindow / 1000;
  return `supervisor: slot ${slot} stopped: its worker exited ${exits} times within ${seconds} s (the last one, worker ${workerId}, ${how}); not restarting it. The other workers keep serving.`;
}

/** "with exit code 1", "killed by SIGKILL". */
export function describeExit(code: number | null, signal: string | null): string {
  return signal ? `killed by ${signal}` : `with exit code ${code}`;
}
