// When a new worker can take traffic. By default, when it listens: the
// primary hears 'listening' as soon as the worker's server is sharing the
// port. An app that must do more before it serves (open its database, warm a
// cache) asks for `waitReady` and says `process.send('ready')` when it is
// done, the same message PM2's wait_ready listens for. A worker that is not
// ready in time is killed: a start that hangs is a failed start.
import type { Worker } from 'node:cluster';
import type { Settings } from './supervisor-options';

export type ReadinessSettings = Pick<Settings, 'waitReady' | 'readyTimeout'>;

/** How a start ended: ready to serve, too slow (and killed), or gone before it was ready. */
export type StartOutcome = 'ready' | 'timed out' | 'exited';

export function waitUntilReady(worker: Worker, settings: ReadinessSettings): Promise<StartOutcome> {
  return new Promise((settle) => {
    // #step 8.2 wait-until-ready
    const done = (outcome: StartOutcome) => {
      clearTimeout(timer);
      worker.off('listening', onListening);
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      settle(outcome);
    };
    const onListening = () => {
      if (!settings.waitReady) done('ready');
    };
    const onMessage = (message: unknown) => {
      if (settings.waitReady && message === 'ready') done('ready');
    };
    const onExit = () => done('exited');
    const timer = setTimeout(() => {
      worker.process.kill('SIGKILL');
      done('timed out');
    }, settings.readyTimeout);
    worker.on('listening', onListening);
    worker.on('message', onMessage);
    worker.on('exit', onExit);
    // #endstep 8.2 wait-until-ready
  });
}
