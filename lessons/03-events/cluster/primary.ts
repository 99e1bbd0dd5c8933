// The primary side: the cluster object a program sees when it was started
// directly (not forked by a cluster). It forks workers and keeps track of them.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { fork as forkProcess, type ChildProcess } from 'node:child_process';
import { workerExecArgv, type InspectPortSetting } from './inspector-port';
import { Worker } from './worker';
import { workerIdentityEnvironment } from './worker-identity';
import { InternalChannel, interceptInternalMessages, newClusterKey, type InternalMessage, type ListenAddress } from './protocol';
import { traceMessage } from './trace';
import { ListenerTable } from './primary-listen';
import { closeChannel, openChannel } from './primary-channels';
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
  /** The ports this primary listens on for its workers. */
  private readonly listenerTable = new ListenerTable();

  constructor() {
    super();
    // In node each function of the cluster works taken off it (`const { fork } = cluster`,
    // `import { fork } from 'node:cluster'`), where `this` is lost: bind each one to this cluster.
    this.setupPrimary = this.setupPrimary.bind(this);
    this.setupMaster = this.setupMaster.bind(this);
    this.fork = this.fork.bind(this);
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
    const worker = new Worker({ id, process: child });
    this.listenToWorker(worker, child);
    this.workers[id] = worker;
    // 'fork' too waits a tick: listeners added after a fork loop see every fork.
    process.nextTick(() => this.emit('fork', worker));
    return worker;
  }

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
    // #region learn-of-the-end
    // The channel closing and the process ending are two separate facts,
    // reported by two separate events, in either order.
    child.once('disconnect', () => this.onDisconnect(worker, child));
    child.once('exit', (code, signal) => this.onExit(worker, child, code, signal));
    // #endregion learn-of-the-end
  }

  // #region internal-messages
  private onInternalMessage(worker: Worker, channel: InternalChannel, message: InternalMessage): void {
    switch (message.act) {
      case 'online':
        worker.state = 'online';
        worker.emit('online');
        this.emit('online', worker);
        break;
      case 'queryServer':
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
    }
  }
  // #endregion internal-messages

  // #region on-listening
  private onListening(worker: Worker, message: ListenAddress): void {
    // #step 3.2 on-listening
    todo(3, 2, `worker ${worker.id} says a server of its own listens on ${message.address}:${message.port}: in ` +
      "node:cluster the Worker's state becomes 'listening', then 'listening' is emitted on the Worker " +
      '(address), then on cluster (worker, address), the address being { address, port, addressType }.');
    // #endstep 3.2 on-listening
  }
  // #endregion on-listening

  // #region on-disconnect
  /** The IPC channel closed: the worker can no longer talk to us, or take connections. */
  private onDisconnect(worker: Worker, child: ChildProcess): void {
    // #step 3.1 on-disconnect
    todo(3, 1, `worker ${worker.id}'s channel closed: in node:cluster the Worker's state becomes 'disconnected' and ` +
      "'disconnect' is emitted on the Worker (no arguments), then on cluster (worker). The worker takes no more " +
      "connections from then on, and stays in cluster.workers until its process has exited too.");
    // #endstep 3.1 on-disconnect
  }
  // #endregion on-disconnect

  // #region on-exit
  /** The process ended: with an exit code, or killed by a signal. */
  private onExit(worker: Worker, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    // #step 3.1 on-exit
    todo(3, 1, `worker ${worker.id}'s process ended (code ${code}, signal ${signal}): in node:cluster the Worker's state ` +
      "becomes 'dead' and 'exit' is emitted on the Worker (code, signal), then on cluster (worker, code, signal). " +
      'A worker leaves cluster.workers once it has both exited and disconnected, before the listeners of the later ' +
      'of the two events run.');
    // #endstep 3.1 on-exit
  }
  // #endregion on-exit

  // #region remove-worker
  private removeWorker(worker: Worker): void {
    delete this.workers[worker.id];
  }
  // #endregion remove-worker
}

// #region online-first
/**
 * The worker's Node options, plus a preload that sends 'online' before the
 * program's first line runs (see online-first.ts). It goes last: after a
 * loader the options name (tsx), as node's own 'online' comes before any of
 * the program's code.
 */
function withOnlineFirst(execArgv: string[]): string[] {
  return [...execArgv, '--require', path.join(__dirname, 'online-first.ts')];
}
// #endregion online-first

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}
