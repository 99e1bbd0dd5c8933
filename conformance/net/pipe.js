// A Unix socket (a relative path) in two workers: shared through the primary, served, removed when they leave.
const cluster = require('node:cluster');
const fs = require('node:fs');
const net = require('node:net');

const SOCKET = 'cluster.sock';
if (cluster.isPrimary) {
  let listening = 0;
  cluster.on('listening', async (worker, address) => {
    console.log(`primary about worker ${worker.id}: listening addressType=${address.addressType} address is ${require('node:path').isAbsolute(address.address) ? 'an absolute path' : 'a relative path'} to ${require('node:path').basename(address.address)}`);
    if (++listening < 2) return;
    const answers = new Set();
    for (let i = 0; i < 6; i++) answers.add(await ask());
    console.log(`primary: answered by ${answers.size} workers`);
    cluster.disconnect(() => console.log(`primary: the socket file is gone: ${!fs.existsSync(SOCKET)}`));
  });
  cluster.fork();
  cluster.fork();
  function ask() {
    return new Promise((resolve, reject) => {
      let text = '';
      net.connect(SOCKET).on('data', (chunk) => (text += chunk)).on('end', () => resolve(text)).on('error', reject);
    });
  }
} else {
  net.createServer((socket) => socket.end(`worker ${cluster.worker.id}`)).listen(SOCKET).on('error', (error) => console.log(`worker ${cluster.worker.id}: ${error.code}`));
}
