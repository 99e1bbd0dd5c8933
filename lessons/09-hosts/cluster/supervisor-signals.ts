// What the primary does with the signals a process manager sends it. A
// container runtime or systemd sends SIGTERM to the primary only, and a
// primary that just dies leaves its workers to die with every request they
// were answering. So: the first SIGTERM or SIGINT drains every worker and
// then exits 0; a second one means "now": the workers are killed and the
// primary exits at once. SIGHUP, by the convention of daemons, reloads.
import type { ReloadReport } from './supervisor-reload';

/** What the signal handlers need from the supervisor. */
export interface Stoppable {
  /** drains every worker; resolves when they have all left */
  stop(): Promise<void>;
  /** kills every worker at once */
  killAll(): void;
  reload(): Promise<ReloadReport>;
  workerCount(): number;
}

const SIGNAL_NUMBERS = { SIGINT: 2, SIGTERM: 15 } as const;
type StopSignal = keyof typeof SIGNAL_NUMBERS;

/** Installs the handlers; returns a function that removes them. */
export function handleSignals(supervisor: Stoppable, log: (line: string) => void): () => void {
  let stopping = false;
  const onStopSignal = (signal: StopSignal) => {
    // #step 8.6 stop-signal
    if (stopping) {
      log(`supervisor: ${signal} again: killing the workers and exiting now`);
      supervisor.killAll();
      process.exit(128 + SIGNAL_NUMBERS[signal]);
    }
    stopping = true;
    log(`supervisor: ${signal}: draining ${supervisor.workerCount()} workers, then exiting (${signal} again: at once)`);
    void supervisor.stop().then(() => {
      log('supervisor: every worker has left; exiting');
      process.exit(0);
    });
    // #endstep 8.6 stop-signal
  };
  const onHangUp = () => {
    log('supervisor: SIGHUP: rolling reload');
    void supervisor.reload();
  };
  process.on('SIGTERM', onStopSignal);
  process.on('SIGINT', onStopSignal);
  process.on('SIGHUP', onHangUp);
  return () => {
    process.off('SIGTERM', onStopSignal);
    process.off('SIGINT', onStopSignal);
    process.off('SIGHUP', onHangUp);
  };
}
