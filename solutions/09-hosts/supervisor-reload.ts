// The rolling reload: a new version replaces the workers one at a time. For
// each slot, the new worker starts first and must be ready before the old one
// drains, so the count of ready workers never drops below the target (it goes
// one above it, for a moment). A new worker that does not get ready stops the
// reload: the slots not yet done keep their old workers, which never stopped
// serving.
import type { StartOutcome } from './supervisor-readiness';

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
  const started = Date.now();
  const perWorker: number[] = [];
  for (const slot of slots) {
    const slotStarted = Date.now();
    const outcome = await replaceWorker(slot);
    if (outcome !== 'ready') {
      return { ok: false, replaced: perWorker.length, perWorker, milliseconds: Date.now() - started, failed: { slot, outcome } };
    }
    perWorker.push(Date.now() - slotStarted);
  }
  return { ok: true, replaced: perWorker.length, perWorker, milliseconds: Date.now() - started };
  // #endstep 8.7 rolling-reload
}
