// An ES module: the default export and the named exports.
import cluster, { isPrimary, isMaster, isWorker, Worker } from 'node:cluster';
import * as namespace from 'node:cluster';

const lane = isPrimary ? 'primary' : 'worker';
console.log(`${lane}: default is the cluster: ${namespace.default === cluster}`);
console.log(`${lane}: isPrimary=${isPrimary} isMaster=${isMaster} isWorker=${isWorker} Worker is ${typeof Worker}`);
const defined = Object.keys(namespace).filter((name) => name !== 'default' && !name.startsWith('_') && namespace[name] !== undefined);
console.log(`${lane}: named exports: ${defined.sort().join(' ')}`);

if (isPrimary) {
  const { fork } = namespace;
  fork().on('exit', (code) => console.log(`primary: worker exited with ${code}`));
} else {
  console.log(`worker: named worker is cluster.worker: ${namespace.worker === cluster.worker}`);
  cluster.worker.disconnect();
}
