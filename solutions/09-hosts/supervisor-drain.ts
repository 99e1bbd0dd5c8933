// Stopping one worker without dropping a request. First a word to the
// worker (supervisor-worker.ts: from now on, close each keep-alive
// connection after its answer, and the idle ones now). Then
// worker.disconnect(): the primary sends it no new connection, and the
// worker closes its servers. A request in flight finishes; its connection
// closes after the answer. When the last connection has gone, the worker's
// event loop is empty and it exits by itself. One that is still there after
// `timeout` ms (a request that never ends, a timer the app forgot) is
// killed: a deploy must not wait forever.
import type { Worker } from 'node:cluster';
import { DRAIN_MESSAGE } from './supervisor-worker';

/** Resolves once the worker has exited; `killed` is true when the timeout had to kill it. */
export function drain(worker: Worker, timeout: number): Promise<{ killed: boolean }> {
  return new Promise((resolve) => {
    // #step 8.5 drain
    if (worker.isDead()) {
      resolve({ killed: false });
      return;
    }
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      worker.process.kill('SIGKILL');
    }, timeout);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve({ killed });
    });
    if (worker.isConnected()) {
      worker.send(DRAIN_MESSAGE);
      worker.disconnect();
    }
    // #endstep 8.5 drain
  });
}
