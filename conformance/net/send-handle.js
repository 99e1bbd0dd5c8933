// Handles over IPC: the primary passes a connection to a worker; a worker passes one back, twice.
const cluster = require('node:cluster');
const net = require('node:net');

if (cluster.isPrimary) {
  const worker = cluster.fork();
  const server = net.createServer((socket) => {
    worker.send('take this connection', socket);
  });
  server.listen(0, '127.0.0.1', () => {
    let text = '';
    net.connect(server.address().port, '127.0.0.1').on('data', (chunk) => (text += chunk)).on('end', () => {
      console.log(`primary: the client got ${JSON.stringify(text)}`);
      server.close();
      worker.send('now send me one');
    });
  });
  let received = 0;
  worker.on('message', (message, handle) => {
    if (!handle) return;
    console.log(`primary: got ${message} with a ${handle.constructor.name}`);
    handle.destroy();
    if (++received === 2) worker.disconnect();
  });
} else {
  process.on('message', (message, handle) => {
    if (handle) {
      console.log(`worker: got ${message} with a ${handle.constructor.name}`);
      handle.end('served by the worker');
      return;
    }
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const socket = net.connect(server.address().port, '127.0.0.1', () => {
        process.send('a socket (first time)', socket, { keepOpen: true }, () => {
          process.send('a socket (second time)', socket, () => server.close());
        });
      });
    });
  });
}
