// The worker side (node names it child, as in lib/internal/cluster/child.js):
// the cluster object a program sees when a primary forked it. The files that
// run only in a worker start with child-.
import { EventEmitter } from 'node:events';
import { Worker, type WorkerControls } from './worker';
import type { WorkerIdentity } from './worker-identity';
import { InternalChannel, interceptInternalMessages, type InternalMessage, type Handle } from './protocol';
import { traceMessage } from './trace';
import { acceptConnection, closeEveryServer, routeListenThroughPrimary } from './child-listen';
import { todo } from '../../todo';

/** A worker that leaves on purpose, or loses its primary, ends with this code. */
const CLEAN_EXIT = 0;

export class WorkerCluster extends EventEmitter {
  readonly isPrimary = false;
  readonly isMaster = false;
  readonly isWorker = true;
  readonly Worker = Worker;
  /** This process, as a Worker: `cluster.worker.id` is its id. */
  readonly worker: Worker;
  /** The private conversation with the primary (see protocol.ts). */
  private readonly channel: InternalChannel;

  constructor(identity: WorkerIdentity) {
    super();
    this.worker = new Worker({ id: identity.id, process, controls: this.workerControls });
    this.channel = new InternalChannel(
      process.send!.bind(process),
      identity.clusterKey,
      `worker ${identity.id} → primary`,
      traceMessage,
    );
    interceptInternalMessages(process, identity.clusterKey, (message, handle) =>
      this.channel.receive(message, handle, (request) => this.onInternalMessage(request, handle)),
    );
    // From now on, a server that listens in this process asks the primary.
    routeListenThroughPrimary(this.worker, this.channel);
    // #region channel-closed
    // No orphans: when the channel closes and we did not ask for it, the
    // primary is gone (crashed, killed) or cut us off. A worker without a
    // primary gets no more connections, so it leaves at once. This listener
    // also keeps the worker alive while it is connected, as node's does.
    process.once('disconnect', () => {
      this.worker.emit('disconnect');
      // #step 4.5 orphan
      // TODO lesson 4, step 5: the channel closed and this worker was not leaving: its primary is gone. Node's worker then exits at once, quietly (code 0), so no worker is left behind.
      // #endstep 4.5 orphan
    });
    // #endregion channel-closed
    // The handshake is done already: online-first.ts sent 'online' before the
    // program's first line ran, as node's worker does while Node starts up.
    this.worker.state = 'online';
  }

  // #region on-internal-message
  private onInternalMessage(message: InternalMessage, handle: Handle): void {
    if (message.act === 'newconn') acceptConnection(message.key, handle);
    if (message.act === 'disconnect') this.leave({ askedByPrimary: true });
  }
  // #endregion on-internal-message

  // #region child-controls
  /** What disconnect() and kill() do on cluster.worker, inside the worker. */
  private readonly workerControls: WorkerControls = {
    disconnect: (worker) => {
      // #step 4.3 disconnect-self
      todo(4, 3, `cluster.worker.disconnect() inside worker ${worker.id} leaves as when the primary asks (servers close ` +
        "after their connections, then the channel), but the primary did not ask: in node:cluster its exitedAfterDisconnect " +
        "is already true in the primary when 'disconnect' comes there, and the worker exits with code 0. A second call " +
        'while it is leaving does nothing.');
      // #endstep 4.3 disconnect-self
    },
    // kill() from inside: tell the primary we are leaving on purpose, close
    // the channel, and exit without waiting for the servers.
    destroy: (worker) => {
      // #step 4.3 kill-self
      todo(4, 3, `cluster.worker.kill() inside worker ${worker.id} sends no signal: the worker leaves at once, without ` +
        "waiting for its servers. The primary learns that it is planned (exitedAfterDisconnect true before its " +
        "'disconnect'), the channel closes, the process exits with code 0. A second kill() does nothing; kill() once the " +
        'channel has closed exits at once, code 0.');
      // #endstep 4.3 kill-self
    },
  };
  // #endregion child-controls

  // #region leave
  /**
   * The graceful way out: close every server (each waits for its open
   * connections), then close the channel. Nothing calls process.exit(): the
   * worker ends when nothing is left to do. When the worker itself decided,
   * it first tells the primary, so that exitedAfterDisconnect is set there
   * before the channel closes.
   */
  private leave({ askedByPrimary }: { askedByPrimary: boolean }): void {
    // #step 4.2 leave
    todo(4, 2, `a worker told to leave (by the primary: ${askedByPrimary}) stops taking connections at once, waits ` +
      "until each of its servers has closed after its last connection, and only then closes its channel ('disconnect' " +
      'on both sides); the primary must know the leave was planned before that. With nothing left to do, the process ' +
      'then ends by itself, code 0.');
    // #endstep 4.2 leave
  }
  // #endregion leave
}
