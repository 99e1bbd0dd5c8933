// Lesson 6's cluster: a drop-in for `import cluster from 'node:cluster'`.
//
// Like node's lib/cluster.js, this file only decides which side this process
// is on. A process started by a primary finds its worker identity in the
// environment; any other process is a primary.
import { takeWorkerIdentityFromEnvironment } from './worker-identity';
import { PrimaryCluster } from './primary';
import { WorkerCluster } from './worker-side';

const identity = takeWorkerIdentityFromEnvironment();
const cluster = identity === undefined ? new PrimaryCluster() : new WorkerCluster(identity);

export default cluster;
