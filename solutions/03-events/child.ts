// The worker side (node names it child, as in lib/internal/cluster/child.js):
// the cluster object a program sees when a primary forked it. The files that
// run only in a worker start with child-.
import { EventEmitter } from 'node:events';
import { Worker } from './worker';
import type { WorkerIdentity } from './worker-identity';
import { InternalChannel, interceptInternalMessages, type InternalMessage, type Handle } from './protocol';
import { traceMessage } from './trace';
import { acceptConnection, routeListenThroughPrimary } from './child-listen';

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
    this.worker = new Worker({ id: identity.id, process });
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
    // The handshake is done already: online-first.ts sent 'online' before the
    // program's first line ran, as node's worker does while Node starts up.
    this.worker.state = 'online';
  }

  // #region newconn
  private onInternalMessage(message: InternalMessage, handle: Handle): void {
    if (message.act === 'newconn') acceptConnection(message.key, handle);
  }
  // #endregion newconn
}
