// worker.disconnect() from the primary and from the worker, and cluster.disconnect(callback).
const cluster = require('node:cluster');
const net = require('node:net');

if (cluster.isPrimary) {
  const workers = [1, 2, 3].map(() => cluster.fork());
  let listening = 0;
  cluster.on('listening', () => {
    if (++listening < 3) return;
    const [first] = workers;
    first.on('disconnect', () => console.log(`primary: worker 1 disconnected, exitedAfterDisconnect=${first.exitedAfterDisconnect} isConnected=${first.isConnected()}`));
    first.on('exit', () => {
      console.log(`primary: worker 1 exited, isDead=${first.isDead()}, workers left ${Object.keys(cluster.workers).join(',')}`);
      workers[1].send('leave');
    });
    workers[1].on('exit', () => {
      console.log(`primary: worker 2 left by itself, exitedAfterDisconnect=${workers[1].exitedAfterDisconnect}`);
      cluster.disconnect(() => console.log(`primary: cluster.disconnect done, workers left ${JSON.stringify(Object.keys(cluster.workers))}`));
    });
    first.disconnect();
  });
} else {
  net.createServer((socket) => socket.end()).listen(0, '127.0.0.1');
  process.on('message', (message) => {
    if (message === 'leave') cluster.worker.disconnect();
  });
}
