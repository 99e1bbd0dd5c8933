// Port sharing, the primary's half (child-listen.ts is the worker's).
//
// A worker's listen() arrives here as a queryServer request. The primary
// keeps one listener per key: the address, port and address type, plus the
// index of the server within its worker. So the first server of every worker
// that asks for port 0 on the same address shares one listener, and one
// random port, as in node. A listener is a round-robin handle or a shared
// handle, as the scheduling policy says (see scheduling-policy.ts).
import type net from 'node:net';
import type { Worker } from './worker';
import type { InternalChannel, ListenQuery } from './protocol';
import { RoundRobinHandle } from './round-robin-handle';
import { SharedHandle } from './shared-handle';
import type { Answer, ListenerHandle, OfferConnection } from './listener-handle';
import { SCHED_RR, type SchedulingPolicy } from './scheduling-policy';

/** Every listener the primary keeps for its workers, by key. */
export class PortSharing {
  private readonly ports = new Map<string, ListenerHandle>();
  /** Round-robin or shared handle, for every listener: set once, before any worker asks (see freezePolicy). */
  private policy: SchedulingPolicy | undefined;

  constructor(
    /** each worker's end of the private conversation (undefined once it has disconnected) */
    private readonly channelOf: (worker: Worker) => InternalChannel | undefined,
  ) {}

  /** The primary's first setupPrimary() (every fork() calls it) fixes the policy; later calls change nothing. */
  freezePolicy(policy: SchedulingPolicy): void {
    this.policy ??= policy;
  }

  // #region query-server
  /** A worker asks to listen on `wanted`: share the listener for that key, creating it on first use. */
  share(worker: Worker, wanted: ListenQuery, answer: Answer): void {
    // #step 5.2 share
    const key = `${wanted.address}:${wanted.port}:${wanted.addressType}:${wanted.index}`;
    let port = this.ports.get(key);
    if (!port) {
      port =
        this.policy === SCHED_RR
          ? new RoundRobinHandle(key, wanted, this.offerConnection)
          : new SharedHandle(key, wanted, this.borrowListener, this.offerConnection);
      this.ports.set(key, port);
    }
    port.add(worker, (reply, server, onSent) => {
      if (reply.errorCode !== null) this.ports.delete(key); // a failed listen is not kept
      answer(reply, server, onSent);
    });
    // #endstep 5.2 share
  }
  // #endregion query-server

  /** The worker's server for `key` closed, or the worker is gone: no more connections for it. */
  stopSharing(worker: Worker, key?: string): void {
    for (const [portKey, port] of this.ports) {
      if (key !== undefined && portKey !== key) continue;
      // remove() says whether it was the last worker there: then the listener has closed.
      if (port.remove(worker)) this.ports.delete(portKey);
    }
  }

  // #region offer-connection
  /** Round-robin's hand-off: one newconn request, answered with accepted true or false. */
  private readonly offerConnection: OfferConnection = (worker, key, socket, decided) => {
    const channel = this.channelOf(worker);
    if (!channel) return decided(false);
    channel.request('newconn', { key }, (reply) => decided(reply.accepted), socket);
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
