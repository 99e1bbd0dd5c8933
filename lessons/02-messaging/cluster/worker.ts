// The Worker object. The primary keeps one per forked process; inside a
// worker, `cluster.worker` is one too, describing the process itself.
import { EventEmitter } from 'node:events';
import type { ChildProcess, MessageOptions, SendHandle, Serializable } from 'node:child_process';
import { todo } from '../../todo';

/** The states node's Worker goes through; later lessons move it along. */
export type WorkerState = 'none' | 'online' | 'listening' | 'disconnected' | 'dead';

/** In the primary: the ChildProcess. In the worker: the global `process`. */
export type WorkerProcess = ChildProcess | NodeJS.Process;

type SendCallback = (error: Error | null) => void;

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
  /** undefined until the worker leaves; lesson 4 gives it its meaning. */
  exitedAfterDisconnect: boolean | undefined = undefined;

  constructor(options: WorkerOptions = {}) {
    super();
    // Node's defaults: `new cluster.Worker()` is an empty worker, id 0, state
    // 'none', and no process (so nothing more to set up).
    this.id = options.id ?? 0;
    this.state = options.state ?? 'none';
    if (!options.process) return;
    this.process = options.process;
    // #region relay
    // #step 2.1 relay
    todo(2, 1, `Worker ${options.id}: in node:cluster, each message the other side sends is emitted as 'message' on ` +
      'the Worker with two arguments, the message and the socket or server sent with it (undefined when none came), ' +
      "in the order it was sent; and an error of the channel, a failed send() without a callback for one, as 'error'.");
    // #endstep 2.1 relay
    // #endregion relay
  }

  // #region send
  /**
   * Sends a message to the other side: to the worker from the primary, to the
   * primary from inside the worker. Same signature as process.send().
   */
  send(message: Serializable, handle?: SendHandle, options?: MessageOptions, callback?: SendCallback): boolean;
  send(message: Serializable, callback?: SendCallback): boolean;
  send(...args: unknown[]): boolean {
    // #step 2.1 send
    return todo(2, 1, `worker.send() with ${args.length} argument(s): node:cluster's worker.send() accepts every form ` +
      'of process.send(), (message), (message, callback) and (message, handle, options, callback); the message reaches ' +
      "the other side's 'message' listeners, the callback gets null once it is sent, and it returns true, or false " +
      'once the channel has closed (the ERR_IPC_CHANNEL_CLOSED error then goes to the callback, else to the Worker as ' +
      "'error'). A message JSON cannot write throws a TypeError at once.");
    // #endstep 2.1 send
  }
  // #endregion send
}
