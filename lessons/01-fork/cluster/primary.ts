// The primary side: the cluster object a program sees when it was started
// directly (not forked by a cluster). It forks workers and keeps track of them.
import { EventEmitter } from 'node:events';
import { fork as forkProcess, type ChildProcess } from 'node:child_process';
import { workerExecArgv, type InspectPortSetting } from './inspector-port';
import { Worker } from './worker';
import { workerIdEnvironment } from './worker-identity';
import { todo } from '../../todo';

// #region settings
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
// #endregion settings

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

  // #region detached
  constructor() {
    super();
    // In node each function of the cluster works taken off it (`const { fork } = cluster`,
    // `import { fork } from 'node:cluster'`), where `this` is lost: bind each one to this cluster.
    this.setupPrimary = this.setupPrimary.bind(this);
    this.setupMaster = this.setupMaster.bind(this);
    this.fork = this.fork.bind(this);
  }
  // #endregion detached

  // #region setup-primary
  /**
   * Fixes how workers will be started. Each call merges `options` into the
   * current settings; unset fields fall back to how this primary was started.
   */
  setupPrimary(options: ClusterSettings = {}): void {
    // #step 1.2 setup-primary
    todo(1, 2, `cluster.setupPrimary(${JSON.stringify(options)}): node keeps these options in cluster.settings on top ` +
      'of the earlier ones (an option not given keeps its value), with defaults from how the primary was started ' +
      '(exec: its main file, args: its arguments, execArgv: its Node options, silent: false), and then emits ' +
      "'setup' with the settings, after the calling code has finished (a listener added right after the call hears it).");
    // #endstep 1.2 setup-primary
  }
  // #endregion setup-primary

  /** Deprecated alias of setupPrimary(). */
  setupMaster(options?: ClusterSettings): void {
    this.setupPrimary(options);
  }

  // #region fork
  /** Starts one more worker process and returns its Worker. */
  fork(env: NodeJS.ProcessEnv = {}): Worker {
    // Node calls setupPrimary() on every fork: that is why a program that forks
    // 4 workers sees 'setup' 4 times (5 with its own setupPrimary() call).
    this.setupPrimary();
    const id = ++this.lastWorkerId;
    // #step 1.3 wrap-in-worker
    return todo(1, 3, `cluster.fork() returns a Worker for the new process: its id is ${id} (1, 2, 3... in fork order), ` +
      'its process is the ChildProcess that was started, it is in cluster.workers under its id as soon as fork() ' +
      "returns, and 'fork' is emitted with it after the calling code has finished.");
    // #endstep 1.3 wrap-in-worker
  }
  // #endregion fork

  // #region start-worker-process
  private startWorkerProcess(id: number, env: NodeJS.ProcessEnv): ChildProcess {
    // #step 1.3 start-worker-process
    return todo(1, 3, `worker ${id} is a new Node process running cluster.settings.exec with its args, execArgv, silent ` +
      "and cwd, with an IPC channel to the primary. Its environment is the primary's, plus the variables given to " +
      `fork(), plus what tells it that it is worker ${id}, which nothing may override.`);
    // #endstep 1.3 start-worker-process
  }
  // #endregion start-worker-process
}
