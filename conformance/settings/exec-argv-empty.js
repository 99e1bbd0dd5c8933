// execArgv: [] leaves the worker with no Node options at all; it is still this cluster's worker.
const cluster = require('node:cluster');

if (cluster.isPrimary) {
  cluster.setupPrimary({ execArgv: [] });
  const worker = cluster.fork();
  worker.on('message', (message) => {
    console.log(`primary: ${message}`);
    cluster.disconnect(() => console.log('primary: done'));
  });
} else {
  process.send(`isWorker=${cluster.isWorker} id=${cluster.worker.id} execArgv=${JSON.stringify(process.execArgv)}`);
}
