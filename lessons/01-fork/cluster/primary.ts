// The primary side: the cluster object a program sees when it was started
// directly (not forked by a cluster). It forks workers and keeps track of them.
import { EventEmitter } from 'node:events';
import { fork as forkProcess, type ChildProcess } from 'node:child_process';
import { workerExecArgv, type InspectPortSetting } from './inspector-port';
import { Worker } from './worker';
import { workerIdEnvironment } from './worker-identity';
import { todo } from '../../todo';

/** What setupPrimary() accepts and `cluster.settings` shows. */
export interface ClusterSettings {
  /** the file each worker runs; default: the primary's own main file */
  exec?: string;
  /** command-line arguments for the worker; default: the primary's */
  args?: string[];
  /** Node options for the worker (a loader such as tsx lives here); default: the primary's */
  execArgv?: string[];
  /** true: the worker's stdout/stderr come to the primary as streams instead of the terminal */
  silent?: boolean;
  cwd?: string;
  /** each worker's inspector port when the primary runs one: a number, or a function asked at each fork */
  inspectPort?: InspectPortSetting;
}

export class PrimaryCluster extends EventEmitter {
  readonly isPrimary = true;
  /** Deprecated alias of isPrimary, still used by the article. */
  readonly isMaster = true;
  readonly isWorker = false;
  readonly Worker = Worker;
  /** Every worker the primary has forked, keyed by id. */
  workers: Record<number, Worker> = {};
  settings: ClusterSettings = {};
  private lastWorkerId = 0;

  // #region setup-primary
  /**
   * Fixes how workers will be started. Each call merges `options` into the
   * current settings; unset fields fall back to how this primary was started.
   */
  setupPrimary(options: ClusterSettings = {}): void {
    todo(1, 2, 'setupPrimary(options) should merge options into cluster.settings (defaults: exec = ' +
      'process.argv[1], args = process.argv.slice(2), execArgv = process.execArgv, silent = false) ' +
      `and emit 'setup' on the next tick. Got ${JSON.stringify(options)}.`);
  }
  // #endregion setup-primary

  /** Deprecated alias of setupPrimary(). */
  setupMaster(options?: ClusterSettings): void {
    this.setupPrimary(options);
  }

  // #region fork
  /** Starts one more worker process and returns its Worker. */
  fork(env: NodeJS.ProcessEnv = {}): Worker {
    this.setupPrimary();
    const id = ++this.lastWorkerId;
    const child = this.startWorkerProcess(id, env);
    return todo(1, 3, `fork() should wrap the process (pid ${child.pid}) in a Worker with id ${id}, ` +
      "put it in cluster.workers and emit 'fork' on the next tick.");
  }
  // #endregion fork

  // #region start-worker-process
  private startWorkerProcess(id: number, env: NodeJS.ProcessEnv): ChildProcess {
    return todo(1, 3, `startWorkerProcess(${id}) should child_process.fork() settings.exec with settings.args, ` +
      'execArgv, silent and cwd, in the environment { ...process.env, ...env, ...workerIdEnvironment(id) }.');
  }
  // #endregion start-worker-process
}
