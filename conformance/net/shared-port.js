// Two workers listen on port 0: they share one port, and both serve (round-robin or not).
const cluster = require('node:cluster');
const net = require('node:net');

if (cluster.isPrimary) {
  const ports = new Map();
  cluster.on('listening', async (worker, address) => {
    ports.set(worker.id, address.port);
    if (ports.size < 2) return;
    console.log(`primary: both on one port: ${ports.get(1) === ports.get(2)}`);
    const answers = new Set();
    for (let i = 0; i < 10; i++) answers.add(await ask(ports.get(1)));
    console.log(`primary: answered by ${answers.size} workers`);
    cluster.disconnect(() => console.log('primary: done'));
  });
  cluster.fork();
  cluster.fork();
  function ask(port) {
    return new Promise((resolve, reject) => {
      let text = '';
      net.connect(port, '127.0.0.1').on('data', (chunk) => (text += chunk)).on('end', () => resolve(text)).on('error', reject);
    });
  }
} else {
  net.createServer((socket) => socket.end(`worker ${cluster.worker.id}`)).listen(0, '127.0.0.1');
}
