// When a new worker can take traffic. By default, when it listens: the
// primary hears 'listening' as soon as the worker's server is sharing the
// port. An app that must do more before it serves (open its database, warm a
// cache) asks for `waitReady` and says `process.send('ready')` when it is
// done, the same message PM2's wait_ready listens for. A worker that is not
// ready in time is killed: a start that hangs is a failed start.
import type { Worker } from 'node:cluster';
import type { Settings } from './supervisor-options';
import { todo } from '../../todo';

export type ReadinessSettings = Pick<Settings, 'waitReady' | 'readyTimeout'>;

/** How a start ended: ready to serve, too slow (and killed), or gone before it was ready. */
export type StartOutcome = 'ready' | 'timed out' | 'exited';

export function waitUntilReady(worker: Worker, settings: ReadinessSettings): Promise<StartOutcome> {
  return new Promise((settle) => {
    // #step 8.2 wait-until-ready
    todo(8, 2, `a new worker is ready when the primary hears 'listening' from it, or, with waitReady, when it sends the message 'ready'; one not ready within readyTimeout ms is killed with SIGKILL and its start counts as failed ('timed out'); one that exits first: 'exited'`);
    // #endstep 8.2 wait-until-ready
  });
}
