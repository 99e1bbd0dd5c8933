// A worker's listen(), the primary's half (child-listen.ts is the worker's),
// first version: lesson 5 replaces it, and says why.
//
// The primary listens once for each address its workers ask for, accepts
// every connection itself, and hands each one to the next worker in turn,
// socket and all, over IPC. Simple, and enough for Example A: 4 workers,
// one port.
import net from 'node:net';
import type { Worker } from './worker';
import type { ListenAddress, MessageKinds } from './protocol';
import { channelTo } from './primary-channels';

type QueryServerReply = MessageKinds['queryServerReply'];

class Port {
  private readonly server: net.Server;
  private readonly workers: Worker[] = [];
  private nextTurn = 0;
  private waitingForListen: Array<(reply: QueryServerReply) => void> = [];
  private reply: QueryServerReply | undefined;

  constructor(private readonly key: string, wanted: ListenAddress) {
    // pauseOnConnect: the primary never reads from a connection; the worker does.
    this.server = net.createServer({ pauseOnConnect: true }, (socket) => this.handOver(socket));
    this.server.once('listening', () => this.settle({ key, sockname: this.server.address() as net.AddressInfo, errorCode: null }));
    this.server.once('error', (error: NodeJS.ErrnoException) => this.settle({ key, sockname: null, errorCode: error.code ?? 'EINVAL' }));
    this.server.listen({ host: wanted.address ?? undefined, port: wanted.port });
  }

  /** Adds a worker to the rotation once the port is listening, and tells it how things went. */
  join(worker: Worker, answer: (reply: QueryServerReply) => void): void {
    const whenSettled = (reply: QueryServerReply) => {
      if (reply.errorCode === null) this.workers.push(worker);
      answer(reply);
    };
    if (this.reply) whenSettled(this.reply);
    else this.waitingForListen.push(whenSettled);
  }

  leave(worker: Worker): void {
    const index = this.workers.indexOf(worker);
    if (index !== -1) this.workers.splice(index, 1);
  }

  get isUnused(): boolean {
    return this.workers.length === 0 && this.waitingForListen.length === 0;
  }

  close(): void {
    if (this.server.listening) this.server.close();
  }

  private settle(reply: QueryServerReply): void {
    this.reply = reply;
    for (const answer of this.waitingForListen.splice(0)) answer(reply);
  }

  /** Sends a new connection, socket and all, to the next worker in turn, on its channel. */
  private handOver(socket: net.Socket): void {
    channelTo(this.takeTurn())?.send('newconn', { key: this.key }, socket);
  }

  /**
   * The next worker in turn. There is always one: a port takes no connection
   * before its first worker has joined, and it closes when its last one leaves.
   */
  private takeTurn(): Worker {
    this.nextTurn %= this.workers.length;
    return this.workers[this.nextTurn++];
  }
}

/** Every port the primary listens on for its workers, by address. */
export class ListenerTable {
  private readonly ports = new Map<string, Port>();

  /** A worker asks to listen on `wanted`: it joins the port, which opens on first use. */
  queryServer(worker: Worker, wanted: ListenAddress, answer: (reply: QueryServerReply) => void): void {
    const key = `${wanted.address}:${wanted.port}:${wanted.addressType}`;
    let port = this.ports.get(key);
    if (!port) {
      port = new Port(key, wanted);
      this.ports.set(key, port);
    }
    port.join(worker, (reply) => {
      if (reply.errorCode !== null) this.ports.delete(key); // a failed listen is not kept
      answer(reply);
    });
  }

  /** The worker's server for `key` closed, or the worker is gone: no more connections for it. */
  forgetWorker(worker: Worker, key?: string): void {
    for (const [portKey, port] of this.ports) {
      if (key !== undefined && portKey !== key) continue;
      port.leave(worker);
      if (port.isUnused) {
        port.close();
        this.ports.delete(portKey);
      }
    }
  }
}
