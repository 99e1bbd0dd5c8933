// Lesson 8's supervisor: keeps a cluster serving through crashes and deploys.
//
//   import cluster from 'node:cluster';            // or ours: it takes either
//   import { supervise } from './supervisor';
//   if (cluster.isPrimary) supervise(cluster, { workers: 4 });
//   else startTheApp();
//
// It uses nothing but the cluster's public API (fork, the 'exit' event,
// worker.disconnect(), worker.process), so it runs the same on node:cluster
// and on the cluster this course builds. Each worker has a slot (1..workers):
// a slot's worker that crashes is replaced in the same slot, and its number
// reaches the worker as SUPERVISOR_SLOT (PM2 calls it NODE_APP_INSTANCE).
//
// The parts, one file each: the options (supervisor-options.ts), when a new
// worker is ready (-readiness), how long a restart waits (-backoff), when to
// give up on a slot (-crash-loop), stopping a worker gently (-drain, and
// -worker in the worker), the signals (-signals), the rolling reload
// (-reload), the memory limit (-memory).
import { EventEmitter } from 'node:events';
import type { Cluster, Worker } from 'node:cluster';
import { checkOptions, type Settings, type SupervisorOptions } from './supervisor-options';
import { waitUntilReady, type StartOutcome } from './supervisor-readiness';
import { nextRestartDelay } from './supervisor-backoff';
import { crashLoopMessage, describeExit, isCrashLooping } from './supervisor-crash-loop';
import { drain } from './supervisor-drain';
import { handleSignals } from './supervisor-signals';
import { rollingReload, type ReloadReport } from './supervisor-reload';
import { workersOverTheLimit } from './supervisor-memory';

export { SupervisorOptionError, type SupervisorOptions } from './supervisor-options';
export type { ReloadReport } from './supervisor-reload';
// The parts a test (or a program of your own) may want on their own.
export { drain, isCrashLooping, nextRestartDelay };
// The worker's side: what an app calls with its server.
export { closeConnectionsOnDrain } from './supervisor-worker';

/** One place in the cluster: a worker serves in it, and is replaced in it. */
interface Slot {
  number: number;
  /** the worker serving in this slot (or starting to); undefined while a restart waits */
  worker?: Worker;
  ready: boolean;
  /** when the slot's worker was forked (Date.now()) */
  startedAt: number;
  /** the delay before the restart that started the current worker; undefined: it was not a restart */
  lastDelay?: number;
  /** when the slot's workers exited unasked, within the crash-loop window */
  exits: number[];
  /** the crash-loop guard stopped this slot */
  stopped: boolean;
  restartTimer?: NodeJS.Timeout;
}

/**
 * Events: 'ready' (worker, slot) whenever a worker gets ready; 'crash-loop'
 * (slot) when a slot stops; 'reload' (report) when a rolling reload ends.
 */
export class Supervisor extends EventEmitter {
  private readonly slots: Slot[];
  /**
   * Every worker forked and not yet exited. Not cluster.workers: a worker
   * leaves that list when its channel closes (disconnect), which can be long
   * before its process has gone (a request still in flight).
   */
  private readonly running = new Set<Worker>();
  private stopping = false;
  /** the reload or memory replacement under way: one at a time */
  private replacing: Promise<unknown> | undefined;
  private memoryTimer: NodeJS.Timeout | undefined;
  private removeSignalHandlers: () => void = () => {};

  constructor(
    private readonly cluster: Cluster,
    private readonly settings: Settings,
  ) {
    super();
    this.slots = Array.from({ length: settings.workers }, (_, index) => ({
      number: index + 1,
      ready: false,
      startedAt: 0,
      exits: [],
      stopped: false,
    }));
  }

  /** Forks every slot's worker and starts watching them. */
  start(): this {
    this.cluster.on('exit', (worker, code, signal) => this.onExit(worker, code, signal));
    if (this.settings.handleSignals) this.removeSignalHandlers = handleSignals(this, this.settings.log);
    if (this.settings.memoryLimitMB !== undefined) {
      this.memoryTimer = setInterval(() => this.checkMemory(), this.settings.memoryCheckInterval);
      // The check must not keep the primary alive once everything else is done.
      this.memoryTimer.unref();
    }
    for (const slot of this.slots) void this.startWorker(slot);
    return this;
  }

  /** How many workers are ready to serve now. */
  readyCount(): number {
    return this.slots.filter((slot) => slot.ready).length;
  }

  /** How many workers are running, ready or not (a reload's new worker counts). */
  workerCount(): number {
    return this.running.size;
  }

  /** The worker serving in slot `number` (1..workers), if any. */
  workerIn(number: number): Worker | undefined {
    return this.slots[number - 1]?.worker;
  }

  /**
   * A new version of every worker, one at a time (SIGHUP does the same).
   * `env`: the new version's environment variables, on top of the current ones;
   * they stay only if every new worker gets ready.
   */
  reload(env: Record<string, string> = {}): Promise<ReloadReport> {
    const previousEnv = this.settings.env;
    const run = async (): Promise<ReloadReport> => {
      await this.replacing;
      this.settings.env = { ...previousEnv, ...env };
      const live = this.slots.filter((slot) => slot.worker && !slot.stopped).map((slot) => slot.number);
      const report = await rollingReload(live, (slot) => this.replaceWorker(this.slots[slot - 1]));
      if (!report.ok) this.settings.env = previousEnv;
      this.settings.log(reloadSummary(report));
      this.emit('reload', report);
      return report;
    };
    const reloading = run();
    const settled: Promise<unknown> = reloading
      .catch(() => undefined)
      .finally(() => {
        if (this.replacing === settled) this.replacing = undefined;
      });
    this.replacing = settled;
    return reloading;
  }

  // #region stop
  /** Drains every worker, restarts nothing; resolves when they have all left. */
  async stop(): Promise<void> {
    // #step 8.6 stop
    this.stopping = true;
    clearInterval(this.memoryTimer);
    for (const slot of this.slots) clearTimeout(slot.restartTimer);
    await Promise.all([...this.running].map((worker) => drain(worker, this.settings.drainTimeout)));
    this.removeSignalHandlers();
    // #endstep 8.6 stop
  }
  // #endregion stop

  /** Kills every worker now (a second SIGTERM). */
  killAll(): void {
    this.stopping = true;
    for (const worker of this.running) worker.process.kill('SIGKILL');
  }

  // ------------------------------------------------------------------ starting

  private fork(slot: Slot): Worker {
    const worker = this.cluster.fork({ ...this.settings.env, SUPERVISOR_SLOT: String(slot.number) });
    this.running.add(worker);
    return worker;
  }

  /** Starts the slot's worker and waits until it is ready (or has failed to start). */
  private async startWorker(slot: Slot): Promise<StartOutcome> {
    const worker = this.fork(slot);
    slot.worker = worker;
    slot.ready = false;
    slot.startedAt = Date.now();
    const outcome = await waitUntilReady(worker, this.settings);
    if (outcome === 'ready' && slot.worker === worker) this.markReady(slot, worker);
    if (outcome === 'timed out') this.settings.log(notReadyMessage(worker, slot.number, this.settings.readyTimeout));
    return outcome;
  }

  private markReady(slot: Slot, worker: Worker): void {
    slot.ready = true;
    this.emit('ready', worker, slot.number);
  }

  // ------------------------------------------------------------------ exits

  private onExit(worker: Worker, code: number | null, signal: string | null): void {
    this.running.delete(worker);
    const slot = this.slots.find((each) => each.worker === worker);
    // A worker no slot holds: the old one of a reload, or a new one that never got ready.
    if (!slot) return;
    slot.worker = undefined;
    slot.ready = false;
    // Asked to leave (disconnect(), a drain) or shutting down: nothing to repair.
    if (worker.exitedAfterDisconnect || this.stopping) return;
    const now = Date.now();
    slot.exits.push(now);
    const how = describeExit(code, signal);
    if (isCrashLooping(slot.exits, now, this.settings)) {
      slot.stopped = true;
      this.settings.log(crashLoopMessage(slot.number, worker.id, slot.exits.length, this.settings, how));
      this.emit('crash-loop', slot.number);
      return;
    }
    this.restartLater(slot, worker, how, now - slot.startedAt);
  }

  // #region restart-later
  /** The slot's worker exited unasked: a new one, after a delay that grows while it keeps failing. */
  private restartLater(slot: Slot, worker: Worker, how: string, upFor: number): void {
    // #step 8.3 restart-later
    const delay = nextRestartDelay(slot.lastDelay, upFor, this.settings);
    slot.lastDelay = delay;
    this.settings.log(`supervisor: worker ${worker.id} (slot ${slot.number}) exited ${how}; restarting the slot in ${delay} ms`);
    slot.restartTimer = setTimeout(() => {
      slot.restartTimer = undefined;
      if (!this.stopping && !slot.worker) void this.startWorker(slot);
    }, delay);
    // #endstep 8.3 restart-later
  }
  // #endregion restart-later

  // ------------------------------------------------------------------ replacing

  // #region replace-worker
  /** One step of a reload: a new worker in the slot, ready, then the old one drained. */
  private async replaceWorker(slot: Slot): Promise<StartOutcome> {
    // #step 8.7 replace-worker
    const old = slot.worker;
    const fresh = this.fork(slot);
    const outcome = await waitUntilReady(fresh, this.settings);
    if (outcome !== 'ready') {
      if (outcome === 'timed out') this.settings.log(notReadyMessage(fresh, slot.number, this.settings.readyTimeout));
      return outcome;
    }
    // The new worker takes the slot (a restart waiting for it is no longer needed) ...
    clearTimeout(slot.restartTimer);
    slot.worker = fresh;
    slot.startedAt = Date.now();
    slot.lastDelay = undefined;
    this.markReady(slot, fresh);
    // ... and only then does the old one leave.
    if (old) await this.drainAndSay(old, slot.number);
    return 'ready';
    // #endstep 8.7 replace-worker
  }
  // #endregion replace-worker

  private async drainAndSay(worker: Worker, slot: number): Promise<void> {
    const { killed } = await drain(worker, this.settings.drainTimeout);
    if (killed) this.settings.log(`supervisor: worker ${worker.id} (slot ${slot}) was still there ${this.settings.drainTimeout} ms after disconnect(): killed`);
  }

  private checkMemory(): void {
    if (this.replacing !== undefined || this.stopping || this.settings.memoryLimitMB === undefined) return;
    const pids = new Map<number, number>();
    for (const slot of this.slots) {
      const pid = slot.ready ? slot.worker?.process.pid : undefined;
      if (pid !== undefined) pids.set(slot.number, pid);
    }
    const over = workersOverTheLimit(pids, this.settings.memoryLimitMB);
    if (over.length === 0) return;
    const limit = this.settings.memoryLimitMB;
    this.replacing = (async () => {
      for (const { slot, megabytes } of over) {
        const worker = this.slots[slot - 1].worker;
        this.settings.log(`supervisor: worker ${worker?.id} (slot ${slot}) uses ${Math.round(megabytes)} MB, above the limit of ${limit} MB: replacing it`);
        await this.replaceWorker(this.slots[slot - 1]);
      }
    })()
      .catch((error: unknown) => this.settings.log(`supervisor: replacing a worker over the memory limit failed: ${error}`))
      .finally(() => (this.replacing = undefined));
  }
}

/** Checks the options, forks the workers, and keeps them serving. Throws a SupervisorOptionError for a bad option. */
export function supervise(cluster: Cluster, options: SupervisorOptions): Supervisor {
  return new Supervisor(cluster, checkOptions(options)).start();
}

function notReadyMessage(worker: Worker, slot: number, timeout: number): string {
  return `supervisor: worker ${worker.id} (slot ${slot}) was not ready within ${timeout} ms: killed, a failed start`;
}

function reloadSummary(report: ReloadReport): string {
  const each = report.perWorker.length ? `; per worker: ${report.perWorker.map((ms) => `${ms} ms`).join(', ')}` : '';
  if (report.ok) return `supervisor: reload done: ${report.replaced} workers replaced in ${report.milliseconds} ms${each}`;
  const failed = report.failed!;
  return (
    `supervisor: reload stopped: the new worker for slot ${failed.slot} ${failed.outcome === 'timed out' ? 'was not ready in time' : 'exited before it was ready'}; ` +
    `${report.replaced} slot(s) run the new version, the others keep their old workers${each}`
  );
}
