// fork(env): the worker's environment, ids in order, cluster.workers, worker.process.
const cluster = require('node:cluster');

if (cluster.isPrimary) {
  process.env.FROM_PRIMARY = 'inherited';
  const first = cluster.fork({ GREETING: 'hello' });
  const second = cluster.fork();
  console.log(`primary: ids ${first.id} ${second.id}`);
  console.log(`primary: workers ${Object.keys(cluster.workers).join(',')}, the same objects: ${cluster.workers[1] === first && cluster.workers[2] === second}`);
  console.log(`primary: process is a ChildProcess with a pid: ${typeof first.process.pid === 'number'} connected: ${first.process.connected}`);
  let gone = 0;
  for (const worker of [first, second]) {
    worker.on('message', (message) => {
      console.log(`primary about worker ${worker.id}: ${message}`);
      worker.disconnect();
    });
    worker.on('exit', () => {
      if (++gone === 2) console.log(`primary: workers left ${JSON.stringify(Object.keys(cluster.workers))}`);
    });
  }
} else {
  const env = process.env;
  process.send(`GREETING=${env.GREETING} FROM_PRIMARY=${env.FROM_PRIMARY} NODE_UNIQUE_ID set: ${'NODE_UNIQUE_ID' in env} pid matches: ${cluster.worker.process === process}`);
}
