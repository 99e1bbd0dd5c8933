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

/**
 * A fixture run's workers. A worker that stops before the run is done (a
 * TODO in a starter, say: its error is on stderr already, since workers share
 * ours) ends the run with `endRun`, unless the run was told to expect it.
 */
export class RunWorkers {
  /** every worker forked, even those cluster.workers no longer lists (they may still run) */
  readonly forked: Worker[] = [];
  private readonly expectedExits = new Set<number>();
  private watching = false;
  private over = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly endRun: () => void,
  ) {}

  /** Forks `count` workers that run `exec`, with `env`, and `settings` for setupPrimary(). */
  fork(exec: string, count: number, env: Record<string, string> = {}, settings: object = {}): Worker[] {
    this.cluster.setupPrimary({ exec, ...settings });
    const workers = Array.from({ length: count }, () => this.cluster.fork(env));
    this.forked.push(...workers);
    this.watchExits();
    return workers;
  }

  /** The test stops this worker itself, or expects it to end: its exit does not end the run. */
  expectExit(worker: Worker): void {
    this.expectedExits.add(worker.id);
  }

  /** The run is over: from now on every exit is expected. */
  finish(): void {
    this.over = true;
  }

  private watchExits(): void {
    if (this.watching) return;
    this.watching = true;
    this.cluster.on('exit', (worker, code, signal) => {
      if (this.over || this.expectedExits.has(worker.id)) return;
      console.log(`worker ${worker.id} stopped (code ${code}, signal ${signal}) before the run was done`);
      this.endRun();
    });
  }
}
