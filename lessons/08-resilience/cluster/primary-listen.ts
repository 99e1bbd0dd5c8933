// A worker's listen(), the primary's half (child-listen.ts is the worker's).
//
// It arrives here as a queryServer request. The primary keeps one listener
// per key: the address, port and address type, plus the index of the server
// within its worker. So the first server of every worker that asks for port 0
// on the same address joins one listener, on one random port, as in node. A listener is a round-robin handle or a shared
// handle, as the scheduling policy says (see scheduling-policy.ts).
// A pipe is a listener too (its key has the path as the address, port -1);
// a UDP socket always gets a UdpHandle (udp-handle.ts), whatever the policy.
import type { Worker } from './worker';
import type { ListenQuery } from './protocol';
import { RoundRobinHandle } from './round-robin-handle';
import { SharedHandle } from './shared-handle';
import { isUdp, UdpHandle } from './udp-handle';
import type { Answer, ListenerHandle } from './listener-handle';
import { SCHED_RR, type SchedulingPolicy } from './scheduling-policy';

/** Every listener the primary keeps for its workers, by key. */
export class ListenerTable {
  private readonly ports = new Map<string, ListenerHandle>();
  /** Round-robin or shared handle, for every listener: set once, before any worker asks (see freezePolicy). */
  private policy: SchedulingPolicy | undefined;

  /** The primary's first setupPrimary() (every fork() calls it) fixes the policy; later calls change nothing. */
  freezePolicy(policy: SchedulingPolicy): void {
    this.policy ??= policy;
  }

  // #region query-server
  /** A worker asks to listen on `wanted`: it joins the listener for that key, which opens on first use. */
  queryServer(worker: Worker, wanted: ListenQuery, answer: Answer): void {
    // #step 5.2 query-server
    const key = `${wanted.address}:${wanted.port}:${wanted.addressType}:${wanted.fd}:${wanted.index}`;
    let port = this.ports.get(key);
    if (!port) {
      port = isUdp(wanted)
        ? new UdpHandle(key, wanted)
        : this.policy === SCHED_RR
          ? new RoundRobinHandle(key, wanted)
          : new SharedHandle(key, wanted);
      this.ports.set(key, port);
    }
    port.add(worker, (reply, server, onSent) => {
      if (reply.errorCode !== null) this.ports.delete(key); // a failed listen is not kept
      answer(reply, server, onSent);
    });
    // #endstep 5.2 query-server
  }
  // #endregion query-server

  /** The worker's server for `key` closed, or the worker is gone: no more connections for it. */
  forgetWorker(worker: Worker, key?: string): void {
    for (const [portKey, port] of this.ports) {
      if (key !== undefined && portKey !== key) continue;
      // remove() says whether it was the last worker there: then the listener has closed.
      if (port.remove(worker)) this.ports.delete(portKey);
    }
  }
}
