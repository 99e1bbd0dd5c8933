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
import type { ListenAddress } from './protocol';
import { borrowCopy, listenOn, offerConnection, type Answer, type ListenerHandle } from './listener-handle';
import { todo } from '../../todo';

export class SharedHandle implements ListenerHandle {
  /** The workers that hold the listener, by id. */
  private readonly holders = new Map<number, Worker>();
  /** Hand-overs happen one at a time, in the order the workers asked. */
  private handingOver: Promise<void> = Promise.resolve();

  constructor(private readonly key: string, private readonly wanted: ListenAddress) {}

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
    return todo(5, 4, `worker ${worker.id} wants to listen under SCHED_NONE: in node:cluster it gets the ` +
      'listening socket itself, the same one every other worker of this key gets (the first worker\'s from a fresh ' +
      'bind, whose error, if any, reaches the worker as under round-robin), and the primary accepts nothing on it.');
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
  private send(worker: Worker, copy: net.Server, answer: Answer, sockname: net.AddressInfo): Promise<void> {
    // #step 5.4 send
    return todo(5, 4, `worker ${worker.id} gets the listening socket (${JSON.stringify(sockname)}) with its answer; ` +
      'any connection accepted on the primary\'s copy in the meantime reaches that worker, and once the answer is out ' +
      'the primary accepts nothing more on it: the workers alone hold the listener.');
    // #endstep 5.4 send
  }
  // #endregion send
}
