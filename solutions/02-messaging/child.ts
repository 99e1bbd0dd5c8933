// The worker side (node names it child, as in lib/internal/cluster/child.js):
// the cluster object a program sees when a primary forked it. The files that
// run only in a worker start with child-.
import { EventEmitter } from 'node:events';
import { Worker } from './worker';
import type { WorkerIdentity } from './worker-identity';
import { InternalChannel, interceptInternalMessages } from './protocol';
import { traceMessage } from './trace';

export class WorkerCluster extends EventEmitter {
  readonly isPrimary = false;
  readonly isMaster = false;
  readonly isWorker = true;
  readonly Worker = Worker;
  /** This process, as a Worker: `cluster.worker.id` is its id. */
  readonly worker: Worker;
  /** The private conversation with the primary (see protocol.ts). */
  private readonly channel: InternalChannel;

  // #region handshake
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
      this.channel.receive(message, handle, () => {}),
    );
    // #step 2.3 announce
    // The handshake: the primary emits 'online' when this arrives. Node sends
    // it before any of the program's code runs; we send it as soon as the
    // program loads the cluster, which is its first import.
    this.channel.send('online', {});
    this.worker.state = 'online';
    // #endstep 2.3 announce
  }
  // #endregion handshake
}
