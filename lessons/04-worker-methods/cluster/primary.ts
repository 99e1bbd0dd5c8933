// The primary side: the cluster object a program sees when it was started
// directly (not forked by a cluster). It forks workers and keeps track of them.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { fork as forkProcess, type ChildProcess } from 'node:child_process';
import { workerExecArgv, type InspectPortSetting } from './inspector-port';
import { Worker, type WorkerControls } from './worker';
import { workerIdentityEnvironment } from './worker-identity';
import {
  InternalChannel,
  interceptInternalMessages,
  newClusterKey,
  type InternalMessage,
  type ListenAddress,
} from './protocol';
import { traceMessage } from './trace';
import { ListenerTable } from './primary-listen';
import { channelTo, closeChannel, openChannel } from './primary-channels';
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
  /** 'json' (default) or 'advanced' (the structured clone algorithm: Maps, Dates, BigInts...) */
  serialization?: 'json' | 'advanced';
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
  /** Marks this cluster's internal messages (see protocol.ts). */
  private readonly clusterKey = newClusterKey();
  /** Tells cluster.disconnect() when the last worker is gone. */
  private readonly intercom = new EventEmitter();
  /** The ports this primary listens on for its workers. */
  private readonly listenerTable = new ListenerTable();

  constructor() {
    super();
    // In node each function of the cluster works taken off it (`const { fork } = cluster`,
    // `import { fork } from 'node:cluster'`), where `this` is lost: bind each one to this cluster.
    this.setupPrimary = this.setupPrimary.bind(this);
    this.setupMaster = this.setupMaster.bind(this);
    this.fork = this.fork.bind(this);
    this.disconnect = this.disconnect.bind(this);
  }

  /**
   * Fixes how workers will be started. Each call merges `options` into the
   * current settings; unset fields fall back to how this primary was started.
   */
  setupPrimary(options: ClusterSettings = {}): void {
    const settings: ClusterSettings = {
      args: process.argv.slice(2),
      exec: process.argv[1],
      execArgv: process.execArgv,
      silent: false,
      ...this.settings,
      ...options,
    };
    this.settings = settings;
    // Node emits 'setup' on the next tick, so a listener added right after
    // this call still hears it.
    process.nextTick(() => this.emit('setup', settings));
  }

  /** Deprecated alias of setupPrimary(). */
  setupMaster(options?: ClusterSettings): void {
    this.setupPrimary(options);
  }

  /** Starts one more worker process and returns its Worker. */
  fork(env: NodeJS.ProcessEnv = {}): Worker {
    // Node calls setupPrimary() on every fork: that is why a program that forks
    // 4 workers sees 'setup' 4 times (5 with its own setupPrimary() call).
    this.setupPrimary();
    const id = ++this.lastWorkerId;
    const child = this.startWorkerProcess(id, env);
    const worker = new Worker({ id, process: child, controls: this.workerControls });
    this.listenToWorker(worker, child);
    this.workers[id] = worker;
    // 'fork' too waits a tick: listeners added after a fork loop see every fork.
    process.nextTick(() => this.emit('fork', worker));
    return worker;
  }

  // #region cluster-disconnect
  /**
   * Disconnects every connected worker; `callback` runs once no worker is
   * left in cluster.workers.
   */
  disconnect(callback?: () => void): void {
    // #step 4.6 disconnect-all
    todo(4, 6, 'cluster.disconnect(callback) disconnects every connected worker in cluster.workers, as worker.disconnect() ' +
      'does, and runs the callback once, asynchronously, the next time cluster.workers is found empty: in node, when ' +
      'the first of those workers has both disconnected and exited. With no worker at all, on the next tick.');
    // #endstep 4.6 disconnect-all
  }
  // #endregion cluster-disconnect

  // #region primary-controls
  /** What disconnect() and kill() do on a Worker in the primary. */
  private readonly workerControls: WorkerControls = {
    // Ask the worker to leave: it closes its servers, then its channel.
    // From here on it is no longer one of cluster.workers.
    disconnect: (worker) => {
      // #step 4.2 ask-to-leave
      todo(4, 2, `worker.disconnect() in the primary asks worker ${worker.id} to leave and returns at once: from then ` +
        'on its exitedAfterDisconnect is true, it is no longer in cluster.workers and it gets no new connection. The ' +
        "worker closes its servers, then its channel ('disconnect'), and exits with code 0 by itself ('exit').");
      // #endstep 4.2 ask-to-leave
    },
    // #region primary-kill
    // Just a signal to the process: nothing graceful about it.
    destroy: (worker, signal = 'SIGTERM') => {
      // #step 4.4 signal
      todo(4, 4, `worker.kill('${signal}') in the primary sends worker ${worker.id}'s process that signal and nothing ` +
        `else: 'exit' then comes with (null, '${signal}') and exitedAfterDisconnect ends up false. On a worker that has ` +
        'already exited it does nothing and throws nothing.');
      // #endstep 4.4 signal
    },
    // #endregion primary-kill
  };
  // #endregion primary-controls

  private startWorkerProcess(id: number, env: NodeJS.ProcessEnv): ChildProcess {
    const { exec, args, execArgv, silent, cwd, serialization } = this.settings;
    if (exec === undefined) throw new Error('cluster.fork(): no file to run (settings.exec is empty)');
    // child_process.fork() starts a new Node process (a whole new V8) running
    // `exec`, with an IPC channel to us. The worker keeps our environment plus
    // the caller's extra variables plus its identity.
    return forkProcess(exec, args, {
      env: { ...process.env, ...env, ...workerIdentityEnvironment({ id, clusterKey: this.clusterKey }) },
      // #step 1.5 worker-exec-argv
      execArgv: withOnlineFirst(workerExecArgv(execArgv, this.settings.inspectPort)),
      // #endstep 1.5 worker-exec-argv
      silent,
      cwd,
      serialization,
    });
  }

  /** Wires one worker's process to the cluster: its channel, its messages, its end. */
  private listenToWorker(worker: Worker, child: ChildProcess): void {
    const direction = `primary → worker ${worker.id}`;
    const channel = new InternalChannel(child.send.bind(child), this.clusterKey, direction, traceMessage);
    openChannel(worker, channel);
    interceptInternalMessages(child, this.clusterKey, (message, handle) =>
      channel.receive(message, handle, (request) => this.onInternalMessage(worker, channel, request)),
    );
    // Every event reaches the Worker first, then the cluster with the worker first.
    worker.on('message', (message, handle) => this.emit('message', worker, message, handle));
    // The channel closing and the process ending are two separate facts,
    // reported by two separate events, in either order.
    child.once('disconnect', () => this.onDisconnect(worker, child));
    child.once('exit', (code, signal) => this.onExit(worker, child, code, signal));
  }

  private onInternalMessage(worker: Worker, channel: InternalChannel, message: InternalMessage): void {
    switch (message.act) {
      case 'online':
        worker.state = 'online';
        worker.emit('online');
        this.emit('online', worker);
        break;
      case 'queryServer':
        // #region no-new-servers
        // #step 4.2 no-new-servers
        // TODO lesson 4, step 2: a worker that is leaving gets no new server: its listen() is never answered, and no 'listening' comes for it.
        // #endstep 4.2 no-new-servers
        // #endregion no-new-servers
        this.listenerTable.queryServer(worker, message, (reply) =>
          channel.reply(message, 'queryServerReply', reply),
        );
        break;
      case 'listening':
        this.onListening(worker, message);
        break;
      case 'close':
        this.listenerTable.forgetWorker(worker, message.key);
        break;
      // #region exited-after-disconnect
      case 'exitedAfterDisconnect':
        // #step 4.3 planned
        todo(4, 3, `worker ${worker.id} says it is leaving on its own, and waits for the primary's answer before it ` +
          "disconnects: once answered, its exitedAfterDisconnect in the primary is true, so 'disconnect' and 'exit' there " +
          'show a planned leave.');
        // #endstep 4.3 planned
      // #endregion exited-after-disconnect
    }
  }

  private onListening(worker: Worker, message: ListenAddress): void {
    const address: ListenAddress = { address: message.address, port: message.port, addressType: message.addressType };
    worker.state = 'listening';
    worker.emit('listening', address);
    this.emit('listening', worker, address);
  }

  // #region departure
  /** The IPC channel closed: the worker can no longer talk to us, or take connections. */
  private onDisconnect(worker: Worker, child: ChildProcess): void {
    this.listenerTable.forgetWorker(worker);
    closeChannel(worker);
    // A worker leaves cluster.workers once it is both disconnected and dead.
    if (hasExited(child)) this.removeWorker(worker);
    // #step 4.4 settle-on-disconnect
    // TODO lesson 4, step 4: from 'disconnect' on, exitedAfterDisconnect is true or false, never undefined: false when nobody planned the leave.
    // #endstep 4.4 settle-on-disconnect
    worker.state = 'disconnected';
    worker.emit('disconnect');
    this.emit('disconnect', worker);
  }

  /** The process ended: with an exit code, or killed by a signal. */
  private onExit(worker: Worker, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (!child.connected) this.removeWorker(worker);
    // #step 4.4 settle-on-exit
    // TODO lesson 4, step 4: from 'exit' on, exitedAfterDisconnect is true or false, never undefined: false after a crash or a signal.
    // #endstep 4.4 settle-on-exit
    worker.state = 'dead';
    worker.emit('exit', code, signal);
    this.emit('exit', worker, code, signal);
  }
  // #endregion departure

  // #region remove-worker
  private removeWorker(worker: Worker): void {
    delete this.workers[worker.id];
    // #step 4.6 announce-empty
    // TODO lesson 4, step 6: each time cluster.workers becomes empty, a cluster.disconnect() callback that is waiting runs.
    // #endstep 4.6 announce-empty
  }
  // #endregion remove-worker
}

/**
 * The worker's Node options, plus a preload that sends 'online' before the
 * program's first line runs (see online-first.ts). It goes last: after a
 * loader the options name (tsx), as node's own 'online' comes before any of
 * the program's code.
 */
function withOnlineFirst(execArgv: string[]): string[] {
  return [...execArgv, '--require', path.join(__dirname, 'online-first.ts')];
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}
