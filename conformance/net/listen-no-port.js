// listen() with only a callback: a random port on every interface, shared like any other.
const cluster = require('node:cluster');
const net = require('node:net');

if (cluster.isPrimary) {
  const worker = cluster.fork();
  worker.on('listening', (address) => {
    console.log(`primary: listening addressType=${address.addressType} address=${address.address} port is a number: ${typeof address.port === 'number' && address.port > 0}`);
  });
  worker.on('message', (message) => {
    console.log(`primary: the worker says ${message}`);
    worker.disconnect();
  });
} else {
  const server = net.createServer((socket) => socket.end('hi'));
  server.listen(() => {
    const { port } = server.address();
    let text = '';
    net.connect(port, '127.0.0.1').on('data', (chunk) => (text += chunk)).on('end', () => process.send(`listening, and it answered ${text}`));
  });
}
