// The Worker object. The primary keeps one per forked process; inside a
// worker, `cluster.worker` is one too, describing the process itself.
import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';

/** The states node's Worker goes through; later lessons move it along. */
export type WorkerState = 'none' | 'online' | 'listening' | 'disconnected' | 'dead';

/** In the primary: the ChildProcess. In the worker: the global `process`. */
export type WorkerProcess = ChildProcess | NodeJS.Process;

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
  }
}
