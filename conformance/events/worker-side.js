// The events a worker sees about itself, and cluster.worker's properties inside it.
const cluster = require('node:cluster');

if (cluster.isPrimary) {
  const worker = cluster.fork();
  worker.on('message', (message) => {
    if (message === 'ready') worker.disconnect();
  });
  worker.on('exit', (code) => console.log(`primary: exit ${code} exitedAfterDisconnect=${worker.exitedAfterDisconnect}`));
} else {
  const me = cluster.worker;
  console.log(`worker: id=${me.id} isConnected=${me.isConnected()} isDead=${me.isDead()} process is process: ${me.process === process}`);
  me.on('disconnect', () => console.log(`worker: disconnect exitedAfterDisconnect=${me.exitedAfterDisconnect}`));
  process.on('exit', (code) => console.log(`worker: exit ${code}`));
  process.send('ready');
}
