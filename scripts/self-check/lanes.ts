// How many test runs the self-check keeps going at once: its lanes.
import os from 'node:os';

/**
 * SELF_CHECK_LANES if set; else one and a half per core, at least three and
 * at most eight. Much of a run is waiting (for workers to start, for a
 * deadline to pass), so two cores carry three lanes with room to spare (six
 * passed too, in 319 s against 363 s); past eight, the longest single runs,
 * about two minutes each, decide the time whatever the lanes.
 */
export function selfCheckLanes(): number {
  return Number(process.env.SELF_CHECK_LANES) || Math.min(8, Math.max(3, Math.round(1.5 * os.availableParallelism())));
}
