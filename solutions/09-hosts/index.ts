// Lesson 7's cluster: a drop-in for `import cluster from 'node:cluster'`.
//
// Like node's lib/cluster.js, this file only decides which side this process
// is on, and loads that side's code alone. A process started by a primary
// finds its worker identity in the environment; any other process is a primary.
import { takeWorkerIdentityFromEnvironment, type WorkerIdentity } from './worker-identity';
import type { PrimaryCluster } from './primary';
import type { WorkerCluster } from './child';

const identity = takeWorkerIdentityFromEnvironment();
const cluster = identity === undefined ? startPrimary() : startWorker(identity);

export default cluster;

// A `require()` inside a function loads a file only when the function runs:
// a primary never loads the worker's side, nor a worker the primary's.
function startPrimary(): PrimaryCluster {
  const { PrimaryCluster }: typeof import('./primary') = require('./primary');
  return new PrimaryCluster();
}

function startWorker(identity: WorkerIdentity): WorkerCluster {
  const { WorkerCluster }: typeof import('./child') = require('./child');
  return new WorkerCluster(identity);
}

// node:cluster also gives each of its names on its own (`import { isPrimary, fork } from 'node:cluster'`),
// only those of the side the process is on: a worker has no fork(). A TypeScript program compiled to CommonJS
// reads such a name off this module's exports, so this side's names go there too.
const NAMES_IN_PRIMARY = [
  'isPrimary', 'isMaster', 'isWorker', 'Worker', 'workers', 'settings',
  'setupPrimary', 'setupMaster', 'fork', 'disconnect',
  'SCHED_NONE', 'SCHED_RR', 'schedulingPolicy',
];
const NAMES_IN_WORKER = ['isPrimary', 'isMaster', 'isWorker', 'Worker', 'worker'];
for (const name of cluster.isPrimary ? NAMES_IN_PRIMARY : NAMES_IN_WORKER) {
  module.exports[name] = Reflect.get(cluster, name);
}
