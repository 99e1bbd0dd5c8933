// The Worker object. The primary keeps one per forked process; inside a
// worker, `cluster.worker` is one too, describing the process itself.
import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';

/** The states node's Worker goes through; later lessons move it along. */
export type WorkerState = 'none' | 'online' | 'listening' | 'disconnected' | 'dead';

/** In the primary: the ChildProcess. In the worker: the global `process`. */
export type WorkerProcess = ChildProcess | NodeJS.Process;

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
  }
}
