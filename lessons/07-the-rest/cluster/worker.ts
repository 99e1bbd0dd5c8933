// The Worker object. The primary keeps one per forked process; inside a
// worker, `cluster.worker` is one too, describing the process itself.
import { EventEmitter } from 'node:events';
import type { ChildProcess, MessageOptions, SendHandle, Serializable } from 'node:child_process';

/** The states node's Worker goes through; later lessons move it along. */
export type WorkerState = 'none' | 'online' | 'listening' | 'disconnecting' | 'destroying' | 'disconnected' | 'dead';

/** In the primary: the ChildProcess. In the worker: the global `process`. */
export type WorkerProcess = ChildProcess | NodeJS.Process;

type SendCallback = (error: Error | null) => void;

/**
 * disconnect() and kill() mean different things on each side: the primary
 * asks the worker to leave, or signals its process; the worker closes its own
 * servers and leaves. Each side hands its Worker the version it needs.
 */
export interface WorkerControls {
  disconnect(worker: Worker): void;
  destroy(worker: Worker, signal?: NodeJS.Signals): void;
}

/** What a Worker is made of. fork() gives each; a program may also call `new cluster.Worker()` with none. */
export interface WorkerOptions {
  id?: number;
  process?: WorkerProcess;
  state?: WorkerState;
}

export class Worker extends EventEmitter {
  readonly id: number;
  /** `declare`: a Worker made with no process has no such property at all, as in node. */
  declare readonly process: WorkerProcess;
  state: WorkerState;
  /**
   * undefined while the worker runs; once it has left, true if it left
   * through disconnect() or kill() from inside, false if it crashed or was
   * killed from outside. This is how a supervisor tells the two apart.
   */
  exitedAfterDisconnect: boolean | undefined = undefined;
  /** `declare`: a Worker made by hand has none; its disconnect() and kill() throw, as node's do. */
  private declare readonly controls: WorkerControls;

  constructor(options: WorkerOptions & { controls?: WorkerControls } = {}) {
    super();
    // Node's defaults: `new cluster.Worker()` is an empty worker, id 0, state
    // 'none', and no process (so nothing more to set up).
    this.id = options.id ?? 0;
    this.state = options.state ?? 'none';
    if (options.controls) this.controls = options.controls;
    if (!options.process) return;
    this.process = options.process;
    // The program's own messages, and the process's errors (a failed send,
    // for one), are the Worker's too. Internal messages never get here: the
    // cluster takes them out first (protocol.ts).
    this.process.on('message', (message: Serializable, handle?: SendHandle) => this.emit('message', message, handle));
    this.process.on('error', (error: Error) => this.emit('error', error));
  }

  /**
   * Sends a message to the other side: to the worker from the primary, to the
   * primary from inside the worker. Same signature as process.send().
   */
  send(message: Serializable, handle?: SendHandle, options?: MessageOptions, callback?: SendCallback): boolean;
  send(message: Serializable, callback?: SendCallback): boolean;
  send(...args: unknown[]): boolean {
    const send = this.process.send as (...args: unknown[]) => boolean;
    return send.apply(this.process, args);
  }

  /** Is the IPC channel between the primary and this worker still open? */
  isConnected(): boolean {
    return this.process.connected === true;
  }

  /** Has the worker's process ended? (Inside a worker, always false: it is running this code.) */
  isDead(): boolean {
    const { exitCode, signalCode } = this.process as ChildProcess;
    return (exitCode !== null && exitCode !== undefined) || (signalCode !== null && signalCode !== undefined);
  }

  /** Leave gracefully: servers close, waiting for their connections, then the channel closes. */
  disconnect(): this {
    this.controls.disconnect(this);
    return this;
  }

  /** In the primary: signal the process (SIGTERM by default). In the worker: leave, then exit. */
  kill(signal?: NodeJS.Signals): void {
    this.destroy(signal);
  }

  /** The older name of kill(). */
  destroy(signal?: NodeJS.Signals): void {
    this.controls.destroy(this, signal);
  }
}
