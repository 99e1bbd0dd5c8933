// exclusive: true: each worker binds a port of its own, not shared through the primary
// (and, on node:cluster, the primary hears no 'listening' for it).
const cluster = require('node:cluster');
const net = require('node:net');

if (cluster.isPrimary) {
  const ports = new Map();
  cluster.on('listening', (worker) => console.log(`primary: 'listening' from worker ${worker.id}`));
  cluster.on('message', (worker, message) => {
    if (message === 'closed') return worker.disconnect();
    ports.set(worker.id, message);
    if (ports.size < 2) return;
    console.log(`primary: different ports: ${ports.get(1) !== ports.get(2)}`);
    // The server is the worker's own: disconnect() would not close it, so the worker closes it first.
    for (const each of Object.values(cluster.workers)) each.send('close');
  });
  cluster.fork();
  cluster.fork();
} else {
  const server = net.createServer().listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => process.send(server.address().port));
  process.on('message', () => server.close(() => process.send('closed')));
}
