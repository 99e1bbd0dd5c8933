// How long a slot waits before its worker is started again. A worker that
// crashes at once, every time, must not be restarted thousands of times a
// minute: each restart waits `factor` times longer than the one before, up to
// a ceiling. A worker that stayed up long enough proved the crash was a one-off:
// its next restart starts from the first delay again.
import type { Settings } from './supervisor-options';

export type BackoffSettings = Pick<Settings, 'restartDelay' | 'restartFactor' | 'maxRestartDelay' | 'resetAfter'>;

/**
 * The delay before the next restart, in ms.
 * `previousDelay`: the delay before the restart that started the worker that has just exited
 * (undefined: it was never restarted). `upFor`: how long that worker ran, in ms.
 */
export function nextRestartDelay(previousDelay: number | undefined, upFor: number, settings: BackoffSettings): number {
  // #step 8.3 next-delay
  if (previousDelay === undefined || upFor >= settings.resetAfter) return settings.restartDelay;
  return Math.min(Math.round(previousDelay * settings.restartFactor), settings.maxRestartDelay);
  // #endstep 8.3 next-delay
}
