// Shared handle (SCHED_NONE): every worker gets the listening socket itself
// and accepts on it; the operating system decides which worker each
// connection goes to.
//
// Node's primary creates the socket with an internal call that binds it
// without accepting. We have only net.Server, and a process that holds a
// listening net.Server accepts connections on it. So our primary holds a
// copy only while it hands the listener to a worker: it listens (or, once
// workers hold it, borrows a worker's copy), sends it, and closes its own.
// The few connections its copy may accept in that moment are passed on.
import net from 'node:net';
import type { Worker } from './worker';
import type { ListenQuery } from './protocol';
import { borrowCopy, listenOn, offerConnection, socknameOf, type Answer, type ListenerHandle } from './listener-handle';

export class SharedHandle implements ListenerHandle {
  /** The workers that hold the listener, by id. */
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

  // #region hand-over
  private async handOver(worker: Worker, answer: Answer): Promise<void> {
    // #step 5.4 hand-over
    const copy = await this.borrowFromHolder();
    if (copy) return this.send(worker, copy, answer, socknameOf(copy));
    // Nobody holds it: this is the first worker, so listen afresh.
    const server = net.createServer({ pauseOnConnect: true });
    const { sockname, errorCode } = await listenOn(this.wanted, server);
    if (errorCode !== null) return answer({ key: this.key, sockname, errorCode });
    return this.send(worker, server, answer, sockname);
    // #endstep 5.4 hand-over
  }
  // #endregion hand-over

  private async borrowFromHolder(): Promise<net.Server | undefined> {
    for (const holder of this.holders.values()) {
      const copy = await borrowCopy(holder, this.key);
      if (copy instanceof net.Server) return copy;
    }
    return undefined;
  }

  // #region send
  /** Sends our copy to the worker, passes on what it accepted meanwhile, and closes it. */
  private send(worker: Worker, copy: net.Server, answer: Answer, sockname: net.AddressInfo | null): Promise<void> {
    // #step 5.4 send
    // Whatever our copy accepts before it closes goes to this worker; the
    // worker has its own copy of the socket once it answers, so ours closes.
    copy.on('connection', (socket: net.Socket) => offerConnection(worker, this.key, socket, () => socket.destroy()));
    this.holders.set(worker.id, worker);
    return new Promise((sent) => {
      answer({ key: this.key, sockname, errorCode: null }, copy, () => {
        copy.close();
        sent();
      });
    });
    // #endstep 5.4 send
  }
  // #endregion send
}
