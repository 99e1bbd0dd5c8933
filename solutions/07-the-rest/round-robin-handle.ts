// Round-robin (SCHED_RR): the primary listens and accepts every connection
// itself, then hands each one, socket and all, to a worker over IPC.
//
// Like node's RoundRobinHandle, it gives a worker one connection at a time:
// a worker is "free" once it has answered about the last one. Connections
// that arrive while no worker is free wait in a queue, and the free workers
// wait in another, longest-waiting first. So a busy worker is passed over,
// and the spread stays even however uneven the work is.
import net from 'node:net';
import type { Worker } from './worker';
import type { ListenQuery } from './protocol';
import { listenOn, offerConnection, type Answer, type ListenerHandle, type QueryServerReply } from './listener-handle';

export class RoundRobinHandle implements ListenerHandle {
  /** The one listening socket. pauseOnConnect: the primary never reads a byte; the worker does. */
  private readonly server = net.createServer({ pauseOnConnect: true }, (socket) => this.distribute(socket));
  private readonly listening: Promise<QueryServerReply>;
  /** Every worker listening here, by id. */
  private readonly all = new Map<number, Worker>();
  /** Workers waiting for a connection, in the order they became free. */
  private readonly free = new Map<number, Worker>();
  /** Accepted connections waiting for a free worker. */
  private readonly queue: net.Socket[] = [];
  /** The connection each worker has been offered and not yet answered about. */
  private readonly offered = new Map<number, net.Socket>();

  constructor(private readonly key: string, wanted: ListenQuery) {
    this.listening = listenOn(wanted, this.server).then((outcome) => ({ key, ...outcome }));
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
      if (!unanswered.destroyed) this.distribute(unanswered);
    }
    if (!this.all.delete(worker.id)) return false;
    this.free.delete(worker.id);
    if (this.all.size > 0) return false;
    for (const socket of this.queue.splice(0)) socket.destroy();
    if (this.server.listening) this.server.close();
    return true;
  }
  // #endregion remove

  // #region distribute
  /** A new connection: queue it, and wake the longest-waiting free worker. */
  private distribute(socket: net.Socket): void {
    // #step 5.3 distribute
    if (this.all.size === 0) {
      socket.destroy(); // nobody is left to take it
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
    offerConnection(worker, this.key, socket, (accepted) => {
      if (this.offered.get(worker.id) !== socket) return; // already given to another (see remove)
      this.offered.delete(worker.id);
      // The worker has its own copy of the connection now: close ours. If it
      // refused (its server just closed, or is full), someone else gets it.
      if (accepted) socket.destroy();
      else this.distribute(socket);
      this.handOff(worker);
    });
    // #endstep 5.3 hand-off
  }
  // #endregion hand-off
}
