// What every fixture primary shares. A fixture is a small program that a test
// runs as a primary on the cluster under test (it imports #cluster): it forks
// its workers, prints what it saw and ends, and the test checks the printed
// lines. A fixture that hangs must not hang its test: the watchdog ends it
// with a line that says so, which the test's failure shows with the rest.
import type { Cluster, Worker } from 'node:cluster';

/** Kills the workers at once (a graceful disconnect would wait for their open connections). */
export function killWorkers(workers: Iterable<Worker | undefined>): void {
  for (const worker of workers) worker?.process.kill('SIGKILL');
}

/** The workers cluster.workers lists. */
export const listedWorkers = (cluster: Cluster): Array<Worker | undefined> => Object.values(cluster.workers ?? {});

export interface WatchdogOptions {
  /** the workers to kill when it fires; default: those cluster.workers lists */
  workers?: () => Iterable<Worker | undefined>;
  /** keep the program alive until stop(); by default the watchdog alone does not */
  holdsOpen?: boolean;
}

export interface Watchdog {
  /** the run is over: the watchdog stands down */
  stop(): void;
}

/**
 * A run that takes longer than `ms` has hung: the watchdog prints "gave up:
 * still running after N s", kills the workers and ends the program with
 * exit code 1.
 */
export function startWatchdog(cluster: Cluster, ms: number, options: WatchdogOptions = {}): Watchdog {
  const timer = setTimeout(() => {
    console.log(`gave up: still running after ${ms / 1000} s`);
    killWorkers(options.workers?.() ?? listedWorkers(cluster));
    process.exit(1);
  }, ms);
  if (!options.holdsOpen) timer.unref();
  return { stop: () => clearTimeout(timer) };
}
