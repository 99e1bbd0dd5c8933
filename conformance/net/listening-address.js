// The address 'listening' reports, for several ways of calling listen(): its keys and values.
const cluster = require('node:cluster');
const net = require('node:net');

if (cluster.isPrimary) {
  const worker = cluster.fork();
  let seen = 0;
  worker.on('listening', (address) => {
    const described = Object.keys(address).sort().map((key) => `${key}=${key === 'port' ? typeof address.port : address[key]}`);
    console.log(`primary: listening ${described.join(' ')}`);
    if (++seen === 3) worker.disconnect();
  });
} else {
  const steps = [
    (done) => net.createServer().listen(0, '127.0.0.1', done),
    (done) => net.createServer().listen({ port: 0, host: '127.0.0.1' }, done),
    (done) => net.createServer().listen({ port: 0, host: '::1', ipv6Only: true }, done),
  ];
  // One after the other, so that the order of the reports is the order of the calls.
  const next = () => steps.length && steps.shift()(() => setTimeout(next, 50));
  next();
}
