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

export class Worker extends EventEmitter {
  readonly id: number;
  readonly process: WorkerProcess;
  state: WorkerState = 'none';
  /** undefined until the worker leaves; lesson 4 gives it its meaning. */
  exitedAfterDisconnect: boolean | undefined = undefined;

  constructor(options: { id: number; process: WorkerProcess }) {
    super();
    this.id = options.id;
    this.process = options.process;
    // #region relay
    todo(2, 1, `Worker ${this.id} should re-emit its process's 'message' events, with both arguments ` +
      "(message, handle), and its 'error' events, as its own.");
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
    return todo(2, 1, `worker.send() should hand its ${args.length} argument(s), as they are, to this.process.send() ` +
      'and return what it returns.');
  }
  // #endregion send
}
