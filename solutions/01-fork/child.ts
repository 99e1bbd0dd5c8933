// The worker side (node names it child, as in lib/internal/cluster/child.js):
// the cluster object a program sees when a primary forked it. The files that
// run only in a worker start with child-.
import { EventEmitter } from 'node:events';
import { Worker } from './worker';

export class WorkerCluster extends EventEmitter {
  readonly isPrimary = false;
  readonly isMaster = false;
  readonly isWorker = true;
  readonly Worker = Worker;
  /** This process, as a Worker: `cluster.worker.id` is its id. */
  readonly worker: Worker;

  // #region worker-cluster-constructor
  constructor(id: number) {
    super();
    // #step 1.4 worker-itself
    this.worker = new Worker({ id, process });
    // #endstep 1.4 worker-itself
  }
  // #endregion worker-cluster-constructor
}
