// Lesson 4's demo, primary side: the article's Example B (its index.js).
// The workers run demo-worker.ts (its worker.js), chosen with setupPrimary.
// Worker 2 is told to disconnect and worker 3 to kill itself, a second after
// they speak; once both have gone, the primary disconnects the rest so that
// the demo ends by itself.
//
//   npm run lesson 4 [-- --workers N] [--port P] [--node | --mine]
import path from 'node:path';
import type { Worker } from 'node:cluster';
import cluster from '#cluster';

const workerCount = Number(process.env.WORKERS ?? 4);

console.log(cluster.isMaster); // true
console.log(cluster.isWorker); // false

cluster.setupMaster({ exec: path.join(__dirname, 'demo-worker.ts') });

if (cluster.isMaster) {
  for (let i = 0; i < workerCount; i++) {
    cluster.fork();
  }
  // The article prints the whole cluster.workers object; its ids and states say what matters.
  // (Every Worker has a `state`, but node does not document it, so its types leave it out.)
  const workers = Object.values(cluster.workers ?? {}) as Array<Worker & { state: string }>;
  console.log(`cluster.workers: ${workers.map((worker) => `${worker.id} (${worker.state})`).join(', ')}`);

  cluster.on('fork', (worker) => console.log('fork = ' + worker.id));
  cluster.on('listening', (worker, address) => console.log('worker ' + worker.id + ' listen ' + address.address + ':' + address.port));
  cluster.on('online', (worker) => console.log('worker ' + worker.id + ' online'));
  cluster.on('disconnect', (worker) => console.log('disconnected worker ' + worker.id));
  cluster.on('exit', (worker, code, signal) => console.log('exit ' + worker.id + ' code = ' + code + ' signal ' + signal));
  cluster.on('setup', () => console.log('have setup'));
  cluster.on('message', (worker, message) => {
    console.log('got message from ' + worker.id + ' message ' + message);
    if (worker.id === 2) setTimeout(() => worker.send('disconnect'), 1000);
    if (worker.id === 3) setTimeout(() => worker.send('kill'), 1000);
  });

  // Our ending: once workers 2 and 3 have gone, let the others go too.
  const gone = new Set<number>();
  cluster.on('exit', (worker) => {
    gone.add(worker.id);
    if (gone.has(2) && gone.has(3) && gone.size === 2) {
      cluster.disconnect(() => console.log('cluster.disconnect() called back'));
    }
  });
}
