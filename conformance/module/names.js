// The module's public names on each side, and what they are.
const cluster = require('node:cluster');

const NAMES = ['isPrimary', 'isMaster', 'isWorker', 'Worker', 'worker', 'workers', 'settings', 'SCHED_NONE', 'SCHED_RR',
  'schedulingPolicy', 'setupPrimary', 'setupMaster', 'fork', 'disconnect'];
const lane = cluster.isPrimary ? 'primary' : 'worker';
for (const name of NAMES) console.log(`${lane}: ${name} is ${cluster[name] === null ? 'null' : typeof cluster[name]}`);
console.log(`${lane}: isPrimary=${cluster.isPrimary} isMaster=${cluster.isMaster} isWorker=${cluster.isWorker}`);
console.log(`${lane}: an EventEmitter: ${typeof cluster.on === 'function' && typeof cluster.emit === 'function'}`);

if (cluster.isPrimary) {
  console.log(`primary: SCHED_NONE=${cluster.SCHED_NONE} SCHED_RR=${cluster.SCHED_RR} schedulingPolicy=${cluster.schedulingPolicy}`);
  console.log(`primary: workers before fork: ${JSON.stringify(cluster.workers)}`);
  cluster.fork().on('exit', (code) => console.log(`primary: worker exited with ${code}`));
} else {
  console.log(`worker: worker.id=${cluster.worker.id} is a Worker: ${cluster.worker instanceof cluster.Worker}`);
  cluster.worker.disconnect();
}
