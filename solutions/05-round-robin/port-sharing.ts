// Listening, the primary's half (listen-in-worker.ts is the worker's).
//
// A worker's listen() arrives here as a queryServer request. The primary
// keeps one listener per key: the address, port and address type, plus the
// index of the server within its worker. So the first server of every worker
// that asks for port 0 on the same address shares one listener, and one
// random port, as in node.
import type { Worker } from './worker';
import type { InternalChannel, InternalMessage } from './protocol';
import { RoundRobinHandle } from './round-robin-handle';
import { SharedHandle } from './shared-handle';
import type { ListenerHandle, OfferConnection } from './listener-handle';
import { SCHED_RR, type SchedulingPolicy } from './scheduling-policy';
import type net from 'node:net';

export class ListenersInPrimary {
  private readonly handles = new Map<string, ListenerHandle>();

  constructor(
    /** each worker's end of the private conversation (undefined once it has disconnected) */
    private readonly channelOf: (worker: Worker) => InternalChannel | undefined,
  ) {}

  // #region query-server
  /** A worker wants its server to listen: share the listener for that address, creating it on first use. */
  queryServer(worker: Worker, query: InternalMessage<'queryServer'>, policy: SchedulingPolicy): void {
    const key = `${query.address}:${query.port}:${query.addressType}:${query.index}`;
    let handle = this.handles.get(key);
    if (!handle) {
      handle =
        policy === SCHED_RR
          ? new RoundRobinHandle(key, query, this.offerConnection)
          : new SharedHandle(key, query, this.borrowListener, this.offerConnection);
      this.handles.set(key, handle);
    }
    handle.add(worker, (reply, server, onSent) => {
      // A listener that failed to bind is forgotten, so that the next worker may try again.
      if (reply.errorCode !== null) this.handles.delete(key);
      const channel = this.channelOf(worker);
      if (channel) channel.reply(query, 'serverShared', reply, server, onSent);
      else onSent?.();
    });
  }
  // #endregion query-server

  /** The worker's server for `key` closed. */
  close(worker: Worker, key: string): void {
    if (this.handles.get(key)?.remove(worker)) this.handles.delete(key);
  }

  /** The worker is gone, or leaving: it listens nowhere any more. */
  removeWorker(worker: Worker): void {
    for (const [key, handle] of this.handles) {
      if (handle.remove(worker)) this.handles.delete(key);
    }
  }

  // #region offer-connection
  /** Round-robin's hand-off: one newconn request, answered with accepted true or false. */
  private readonly offerConnection: OfferConnection = (worker, key, socket, decided) => {
    const channel = this.channelOf(worker);
    if (!channel) return decided(false);
    channel.request('newconn', { key }, (reply) => decided((reply as InternalMessage<'newconnReply'>).accepted), socket);
  };
  // #endregion offer-connection

  /** Shared-handle mode: ask a worker for a copy of its listening socket. */
  private readonly borrowListener = (holder: Worker, key: string): Promise<net.Server | undefined> =>
    new Promise((resolve) => {
      const channel = this.channelOf(holder);
      if (!channel) return resolve(undefined);
      holder.once('disconnect', () => resolve(undefined)); // it left before answering
      channel.request('lendServer', { key }, (_reply, handle) => resolve(handle as net.Server | undefined));
    });
}
