// The primary's share of a server does not keep it alive: once the listening worker
// is killed, nothing is left to do and the primary ends by itself.
const cluster = require('node:cluster');
const net = require('node:net');

if (cluster.isPrimary) {
  const worker = cluster.fork();
  worker.on('listening', () => {
    console.log('primary: the worker listens; killing it');
    worker.process.kill('SIGKILL');
  });
  worker.on('exit', (code, signal) => console.log(`primary: exit ${code} ${signal}`));
  process.on('exit', () => console.log('primary: the primary ends by itself'));
} else {
  net.createServer().listen(0, '127.0.0.1');
}
