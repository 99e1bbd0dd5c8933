// EXPERIMENT, OUTSIDE THE PUBLIC API: the bench's "ours, raw handle
// (internals)" row. This is solution 6's round-robin-handle.ts with one
// change: the primary never makes a net.Socket. Like node's RoundRobinHandle,
// it replaces the listening handle's onconnection callback (server._handle,
// an internal) and queues, sends and closes the raw handles libuv accepts.
// Everything else (the queues, the offers, the answers) is the solution's.
// Keep it in step with solutions/06-measure/round-robin-handle.ts: the lines
// marked "raw:" are the whole difference.
//
// Round-robin (SCHED_RR): the primary listens and accepts every connection
// itself, then hands each one, socket and all, to a worker over IPC.
//
// Like node's RoundRobinHandle, it gives a worker one connection at a time:
// a worker is "free" once it has answered about the last one. Connections
// that arrive while no worker is free wait in a queue, and the free workers
// wait in another, longest-waiting first. So a busy worker is passed over,
// and the spread stays even however uneven the work is.
import net from 'node:net';
import type { Worker } from '../../../solutions/06-measure/worker';
import type { ListenAddress } from '../../../solutions/06-measure/protocol';
import { listenOn, offerConnection, type Answer, type ListenerHandle, type QueryServerReply } from '../../../solutions/06-measure/listener-handle';

/** raw: what libuv accepted, a TCP handle; child_process sends it as 'net.Native'. */
interface RawHandle {
  close(): void;
}

export class RoundRobinHandle implements ListenerHandle {
  /** The one listening socket; raw: its handle's connections never become net.Sockets (see the constructor). */
  private readonly server = net.createServer();
  private readonly listening: Promise<QueryServerReply>;
  /** Every worker listening here, by id. */
  private readonly all = new Map<number, Worker>();
  /** Workers waiting for a connection, in the order they became free. */
  private readonly free = new Map<number, Worker>();
  /** Accepted connections waiting for a free worker. */
  private readonly queue: RawHandle[] = [];
  /** The connection each worker has been offered and not yet answered about. */
  private readonly offered = new Map<number, RawHandle>();

  constructor(private readonly key: string, wanted: ListenAddress) {
    this.listening = listenOn(wanted, this.server).then((outcome) => {
      // raw: take over the listening handle's callback, as node's RoundRobinHandle does.
      const handle = (this.server as unknown as { _handle: { onconnection: unknown } | null })._handle;
      if (handle) handle.onconnection = (error: number, client: RawHandle) => error === 0 && this.distribute(client);
      return { key, ...outcome };
    });
  }

  add(worker: Worker, answer: Answer): void {
    this.all.set(worker.id, worker);
    void this.listening.then((reply) => {
      if (reply.errorCode !== null) this.all.delete(worker.id);
      answer(reply);
      if (reply.errorCode === null) this.handOff(worker); // connections may be waiting already
    });
  }

  // #region remove
  remove(worker: Worker): boolean {
    // The connection on offer to this worker: if its channel has closed, no
    // answer will come, so another worker gets it. If it is still connected
    // (the primary asked it to leave), its answer is on the way: wait for it,
    // or two workers could end up serving one connection.
    const unanswered = this.offered.get(worker.id);
    if (unanswered && !worker.isConnected()) {
      this.offered.delete(worker.id);
      this.distribute(unanswered); // raw: nothing else closes a raw handle
    }
    if (!this.all.delete(worker.id)) return false;
    this.free.delete(worker.id);
    if (this.all.size > 0) return false;
    for (const socket of this.queue.splice(0)) socket.close();
    if (this.server.listening) this.server.close();
    return true;
  }
  // #endregion remove

  // #region distribute
  /** A new connection: queue it, and wake the longest-waiting free worker. */
  private distribute(socket: RawHandle): void {
    // #step 5.3 distribute
    if (this.all.size === 0) {
      socket.close(); // nobody is left to take it
      return;
    }
    this.queue.push(socket);
    const [firstFree] = this.free.values();
    if (firstFree) {
      this.free.delete(firstFree.id);
      this.handOff(firstFree);
    }
    // #endstep 5.3 distribute
  }
  // #endregion distribute

  // #region hand-off
  /** Gives `worker` the next queued connection, or marks it free when there is none. */
  private handOff(worker: Worker): void {
    if (!this.all.has(worker.id)) return; // it stopped listening meanwhile
    const socket = this.queue.shift();
    if (!socket) {
      this.free.set(worker.id, worker);
      return;
    }
    // #step 5.3 hand-off
    this.offered.set(worker.id, socket);
    offerConnection(worker, this.key, socket as unknown as net.Socket, (accepted) => {
      if (this.offered.get(worker.id) !== socket) return; // already given to another (see remove)
      this.offered.delete(worker.id);
      // The worker has its own copy of the connection now: close ours. If it
      // refused (its server just closed, or is full), someone else gets it.
      if (accepted) socket.close();
      else this.distribute(socket);
      this.handOff(worker);
    });
    // #endstep 5.3 hand-off
  }
  // #endregion hand-off
}
