// worker.kill(), worker.kill(signal), worker.destroy(): the signal, the exit, and what the Worker says after.
const cluster = require('node:cluster');

if (cluster.isPrimary) {
  const plan = { 1: (w) => w.kill(), 2: (w) => w.kill('SIGKILL'), 3: (w) => w.destroy() };
  for (const id of [1, 2, 3]) {
    const worker = cluster.fork();
    worker.on('message', () => plan[id](worker));
    worker.on('exit', (code, signal) => {
      console.log(`primary about worker ${id}: exit code=${code} signal=${signal} exitedAfterDisconnect=${worker.exitedAfterDisconnect} isDead=${worker.isDead()} isConnected=${worker.isConnected()}`);
    });
  }
} else {
  setInterval(() => {}, 1000);
  process.send('ready');
}
