// A worker listening on a port someone else holds gets EADDRINUSE through its server's 'error'.
const cluster = require('node:cluster');
const net = require('node:net');

if (cluster.isPrimary) {
  const blocker = net.createServer().listen(0, '127.0.0.1', () => {
    const worker = cluster.fork({ PORT: String(blocker.address().port) });
    worker.on('message', (message) => {
      console.log(`primary: the worker says ${message}`);
      worker.disconnect();
      blocker.close();
    });
  });
} else {
  net.createServer().listen(Number(process.env.PORT), '127.0.0.1').on('error', (error) => process.send(`error ${error.code} ${error.syscall}`));
}
