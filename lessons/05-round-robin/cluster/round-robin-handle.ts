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
import type { ListenAddress } from './protocol';
import { listenOn, offerConnection, type Answer, type ListenerHandle, type QueryServerReply } from './listener-handle';
import { todo } from '../../todo';

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

  constructor(private readonly key: string, wanted: ListenAddress) {
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
    todo(5, 3, `the primary has accepted a connection from port ${socket.remotePort}. In node:cluster it goes to the ` +
      'back of the line of waiting connections, and the worker that has been free the longest (if any is free) is ' +
      'offered the first of that line; when no worker listens here any more, the connection is closed.');
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
    todo(5, 3, `worker ${worker.id} is free and a connection (from port ${socket.remotePort}) is next in line: it is ` +
      'offered to that worker, and nothing more is until the worker answers. Accepted: the worker serves the ' +
      'connection and the client keeps talking to it, while the primary lets go of its own copy. Refused (its server ' +
      'has just closed, or is full): the connection goes back in line for another worker. Either way the worker is ' +
      'free again, for the next connection.');
    // #endstep 5.3 hand-off
  }
  // #endregion hand-off
}
