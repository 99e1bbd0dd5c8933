// cluster.worker.kill() inside the worker.
const cluster = require('node:cluster');

if (cluster.isPrimary) {
  const worker = cluster.fork();
  worker.on('disconnect', () => console.log('primary: disconnect'));
  worker.on('exit', (code, signal) => console.log(`primary: exit code=${code} signal=${signal} exitedAfterDisconnect=${worker.exitedAfterDisconnect}`));
} else {
  setInterval(() => {}, 1000);
  cluster.worker.kill();
}
