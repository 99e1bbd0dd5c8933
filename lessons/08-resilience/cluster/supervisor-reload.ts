// The rolling reload: a new version replaces the workers one at a time. For
// each slot, the new worker starts first and must be ready before the old one
// drains, so the count of ready workers never drops below the target (it goes
// one above it, for a moment). A new worker that does not get ready stops the
// reload: the slots not yet done keep their old workers, which never stopped
// serving.
import type { StartOutcome } from './supervisor-readiness';
import { todo } from '../../todo';

/** What a rolling reload did. */
export interface ReloadReport {
  /** true: every slot runs a new worker */
  ok: boolean;
  /** how many workers were replaced */
  replaced: number;
  /** ms each replacement took, from forking the new worker to the old one's exit */
  perWorker: number[];
  /** ms the whole reload took */
  milliseconds: number;
  /** when not ok: the slot whose new worker did not get ready, and how its start ended */
  failed?: { slot: number; outcome: StartOutcome };
}

/** One slot of the reload, as the supervisor does it: a new worker, ready, then the old one drained. */
export type ReplaceWorker = (slot: number) => Promise<StartOutcome>;

/** `slots`: the slots that have a worker to replace, in order. */
export async function rollingReload(slots: number[], replaceWorker: ReplaceWorker): Promise<ReloadReport> {
  // #step 8.7 rolling-reload
  return todo(8, 7, `a rolling reload replaces the slots' workers one at a time, in order, timing each; it stops at the first new worker that does not get ready (ok: false, which slot, how its start ended) and reports how many were replaced and how long it took`);
  // #endstep 8.7 rolling-reload
}
