// Stopping one worker without dropping a request. worker.disconnect() makes
// the worker close its servers: the primary sends it no new connection, and
// (an http.Server does this as it closes, since Node 19) the keep-alive
// connections that are idle right now are closed at once. A request in
// flight finishes, and its connection closes after the answer. When the last
// connection has gone, the worker's event loop is empty and it exits by
// itself. One that is still there after `timeout` ms (a request that never
// ends, a timer the app forgot) is killed: a deploy must not wait forever.
import type { Worker } from 'node:cluster';

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
    if (worker.isConnected()) worker.disconnect();
    // #endstep 8.5 drain
  });
}
