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
import { policyFromEnvironment, SCHED_NONE, SCHED_RR, type SchedulingPolicy } from './scheduling-policy';

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
  // #region scheduling-policy
  readonly SCHED_NONE = SCHED_NONE;
  readonly SCHED_RR = SCHED_RR;
  /** Round-robin or shared handle, for every listener; may change until the first setupPrimary() or fork(). */
  schedulingPolicy: SchedulingPolicy = policyFromEnvironment();
  // #endregion scheduling-policy
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
    // #region freeze-policy
    this.listenerTable.freezePolicy(this.schedulingPolicy);
    // #endregion freeze-policy
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

  /**
   * Disconnects every connected worker; `callback` runs once no worker is
   * left in cluster.workers.
   */
  disconnect(callback?: () => void): void {
    const workers = Object.values(this.workers);
    if (workers.length === 0) process.nextTick(() => this.intercom.emit('disconnect'));
    for (const worker of workers) {
      if (worker.isConnected()) worker.disconnect();
    }
    if (typeof callback === 'function') this.intercom.once('disconnect', callback);
  }

  /** What disconnect() and kill() do on a Worker in the primary. */
  private readonly workerControls: WorkerControls = {
    // Ask the worker to leave: it closes its servers, then its channel.
    // From here on it is no longer one of cluster.workers.
    disconnect: (worker) => {
      worker.exitedAfterDisconnect = true;
      channelTo(worker)?.send('disconnect', {});
      this.listenerTable.forgetWorker(worker);
      this.removeWorker(worker);
    },
    // Just a signal to the process: nothing graceful about it.
    destroy: (worker, signal = 'SIGTERM') => {
      (worker.process as ChildProcess).kill(signal);
    },
  };

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
        if (worker.exitedAfterDisconnect) break; // it is leaving: no new servers
        this.listenerTable.queryServer(worker, message, (reply, server, onSent) =>
          channel.reply(message, 'queryServerReply', reply, server, onSent),
        );
        break;
      case 'listening':
        this.onListening(worker, message);
        break;
      case 'close':
        this.listenerTable.forgetWorker(worker, message.key);
        break;
      case 'exitedAfterDisconnect':
        // The worker is leaving on purpose; it waits for this answer before
        // it closes its channel, so the flag is set before 'disconnect'.
        worker.exitedAfterDisconnect = true;
        channel.reply(message, 'ack', {});
        break;
    }
  }

  private onListening(worker: Worker, message: ListenAddress): void {
    // Node's four keys. The fourth, fd, is the descriptor a listen({ fd })
    // was given: a server that listens on a port has none.
    const address = { addressType: message.addressType, address: message.address, port: message.port, fd: undefined };
    worker.state = 'listening';
    worker.emit('listening', address);
    this.emit('listening', worker, address);
  }

  /** The IPC channel closed: the worker can no longer talk to us, or take connections. */
  private onDisconnect(worker: Worker, child: ChildProcess): void {
    this.listenerTable.forgetWorker(worker);
    closeChannel(worker);
    // A worker leaves cluster.workers once it is both disconnected and dead.
    if (hasExited(child)) this.removeWorker(worker);
    worker.exitedAfterDisconnect = !!worker.exitedAfterDisconnect;
    worker.state = 'disconnected';
    worker.emit('disconnect');
    this.emit('disconnect', worker);
  }

  /** The process ended: with an exit code, or killed by a signal. */
  private onExit(worker: Worker, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (!child.connected) {
      // A worker killed while a socket was on its way to it may never emit
      // 'disconnect': child_process waits for the other side to acknowledge
      // a handle before it lets the channel close. So its listeners are
      // dropped here too (node does the same), and the connection it never
      // answered about goes to another worker.
      this.listenerTable.forgetWorker(worker);
      this.removeWorker(worker);
    }
    worker.exitedAfterDisconnect = !!worker.exitedAfterDisconnect;
    worker.state = 'dead';
    worker.emit('exit', code, signal);
    this.emit('exit', worker, code, signal);
  }

  private removeWorker(worker: Worker): void {
    delete this.workers[worker.id];
    // As in node, this fires each time the list becomes empty: the first
    // time after cluster.disconnect() is what calls its callback.
    if (Object.keys(this.workers).length === 0) this.intercom.emit('disconnect');
  }
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
