// The worker side (node names it child, as in lib/internal/cluster/child.js):
// the cluster object a program sees when a primary forked it. The files that
// run only in a worker start with child-.
import { EventEmitter } from 'node:events';
import { Worker, type WorkerControls } from './worker';
import type { WorkerIdentity } from './worker-identity';
import { InternalChannel, interceptInternalMessages, type InternalMessage, type Handle } from './protocol';
import { traceMessage } from './trace';
import { acceptConnection, closeEveryServer, forgetConnectionSentAway, listenerToLend, routeListenThroughPrimary } from './child-listen';
import { closeEveryUdpSocket, routeBindThroughPrimary, udpSocketToLend } from './child-udp';

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
    // And a dgram socket that binds in this process asks the primary too.
    routeBindThroughPrimary(this.worker, this.channel);
    // A connection the program sends away is no longer one of its server's.
    const sendForReal = process.send!;
    process.send = function send(this: NodeJS.Process, ...args: unknown[]) {
      forgetConnectionSentAway(args[1], args[2]);
      return (sendForReal as (...args: unknown[]) => boolean).apply(process, args);
    } as typeof process.send;
    // No orphans: when the channel closes and we did not ask for it, the
    // primary is gone (crashed, killed) or cut us off. A worker without a
    // primary gets no more connections, so it leaves at once. This listener
    // also keeps the worker alive while it is connected, as node's does.
    process.once('disconnect', () => {
      this.worker.emit('disconnect');
      if (!this.worker.exitedAfterDisconnect) process.exit(CLEAN_EXIT);
    });
    // The handshake is done already: online-first.ts sent 'online' before the
    // program's first line ran, as node's worker does while Node starts up.
    this.worker.state = 'online';
  }

  private onInternalMessage(message: InternalMessage, handle: Handle): void {
    // #region newconn
    if (message.act === 'newconn') {
      acceptConnection(message.key, handle, (accepted) =>
        this.channel.reply(message, 'newconnReply', { accepted }),
      );
    }
    if (message.act === 'lendServer') {
      const { key } = message;
      this.channel.reply(message, 'serverLent', {}, listenerToLend(key) ?? udpSocketToLend(key));
    }
    // #endregion newconn
    if (message.act === 'disconnect') this.leave({ askedByPrimary: true });
  }

  /** What disconnect() and kill() do on cluster.worker, inside the worker. */
  private readonly workerControls: WorkerControls = {
    disconnect: (worker) => {
      if (worker.state === 'disconnecting' || worker.state === 'destroying') return;
      worker.state = 'disconnecting';
      this.leave({ askedByPrimary: false });
    },
    // kill() from inside: tell the primary we are leaving on purpose, close
    // the channel, and exit without waiting for the servers.
    destroy: (worker) => {
      if (worker.state === 'destroying') return;
      worker.exitedAfterDisconnect = true;
      if (!worker.isConnected()) process.exit(CLEAN_EXIT);
      worker.state = 'destroying';
      this.channel.request('exitedAfterDisconnect', {}, () => process.disconnect());
      process.once('disconnect', () => process.exit(CLEAN_EXIT));
    },
  };

  /**
   * The graceful way out: close every server (each waits for its open
   * connections), then close the channel. Nothing calls process.exit(): the
   * worker ends when nothing is left to do. When the worker itself decided,
   * it first tells the primary, so that exitedAfterDisconnect is set there
   * before the channel closes.
   */
  private leave({ askedByPrimary }: { askedByPrimary: boolean }): void {
    this.worker.exitedAfterDisconnect = true;
    closeEveryServer(() =>
      closeEveryUdpSocket(() => {
        if (askedByPrimary) process.disconnect();
        else this.channel.request('exitedAfterDisconnect', {}, () => process.disconnect());
      }),
    );
  }
}
