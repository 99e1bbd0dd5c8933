// YOUR lesson 1 cluster: a drop-in for `import cluster from 'node:cluster'`.
//
// Like node's lib/cluster.js, this file only decides which side this process
// is on. A process started by a primary finds its worker id in the
// environment; any other process is a primary.
import { takeWorkerIdFromEnvironment } from './worker-identity';
import { PrimaryCluster } from './primary';
import { WorkerCluster } from './worker-side';

// #region choose-side
const workerId = takeWorkerIdFromEnvironment();
const cluster = workerId === undefined ? new PrimaryCluster() : new WorkerCluster(workerId);
// #endregion choose-side

export default cluster;
