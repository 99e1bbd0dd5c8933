// The primary's half of UDP sharing (child-udp.ts is the worker's).
//
// Node's primary shares a dgram socket the way SCHED_NONE shares a TCP
// listener, under either policy: it binds the socket once, and sends each
// worker that asks the socket itself. Round-robin means nothing here: there
// are no connections to hand out, only datagrams, and each one reaches
// whichever worker reads it first.
//
// As in shared-handle.ts, our primary cannot hold a socket without reading
// from it: a bound dgram.Socket starts receiving at once. So it keeps a copy
// only while it hands the socket to a worker (it binds one, or borrows a
// worker's copy), and closes it once sent. A datagram that lands in that
// moment is read by the primary's copy and lost; node's primary, which never
// reads, loses none.
import dgram from 'node:dgram';
import type { Worker } from './worker';
import type { ListenQuery } from './protocol';
import { borrowCopy, type Answer, type ListenerHandle } from './listener-handle';

/** Is this a dgram bind ('udp4' or 'udp6'), not a TCP or pipe listen? */
export function isUdp(wanted: ListenQuery): boolean {
  return wanted.addressType === 'udp4' || wanted.addressType === 'udp6';
}

export class UdpHandle implements ListenerHandle {
  /** The workers that hold the socket, by id. */
  private readonly holders = new Map<number, Worker>();
  /** Hand-overs happen one at a time, in the order the workers asked. */
  private handingOver: Promise<void> = Promise.resolve();

  constructor(private readonly key: string, private readonly wanted: ListenQuery) {}

  add(worker: Worker, answer: Answer): void {
    this.handingOver = this.handingOver.then(() => this.handOver(worker, answer));
  }

  remove(worker: Worker): boolean {
    if (!this.holders.delete(worker.id)) return false;
    // The socket closes by itself when the last worker closes its copy.
    return this.holders.size === 0;
  }

  // #region udp-hand-over
  private async handOver(worker: Worker, answer: Answer): Promise<void> {
    // #step 7.3 udp-hand-over
    const copy = (await this.borrowFromHolder()) ?? (await this.bindFresh());
    if (typeof copy === 'string') return answer({ key: this.key, sockname: null, errorCode: copy });
    this.holders.set(worker.id, worker);
    const { address, family, port } = copy.address();
    return new Promise((sent) => {
      answer({ key: this.key, sockname: { address, family, port }, errorCode: null }, copy, () => {
        copy.close(); // the worker has its own copy now
        sent();
      });
    });
    // #endstep 7.3 udp-hand-over
  }
  // #endregion udp-hand-over

  /** Nobody holds it yet: bind a new socket. Resolves with it, or the code of the error that stopped the bind. */
  private bindFresh(): Promise<dgram.Socket | string> {
    const type = this.wanted.addressType as 'udp4' | 'udp6';
    const socket = dgram.createSocket(type);
    return new Promise((resolve) => {
      socket.once('error', (error: NodeJS.ErrnoException) => {
        socket.close();
        resolve(error.code ?? 'EINVAL');
      });
      socket.bind({ port: this.wanted.port ?? 0, address: this.wanted.address ?? undefined }, () => resolve(socket));
    });
  }

  private async borrowFromHolder(): Promise<dgram.Socket | undefined> {
    for (const holder of this.holders.values()) {
      const copy = await borrowCopy(holder, this.key);
      if (copy instanceof dgram.Socket) return copy;
    }
    return undefined;
  }
}
