// Lesson 4's demo, worker side: the article's Example B (its worker.js).
import http from 'node:http';
import cluster from '#cluster';

const port = Number(process.env.PORT ?? 8000);
const worker = cluster.worker!;

console.log('in worker id', worker.id);
console.log('worker ' + worker.id + ' connected ' + worker.isConnected());

worker.send('first message', () => {
  console.log('first message callback');
});

worker.on('disconnect', () => console.log('worker ' + worker.id + ' disconnect in'));
worker.on('error', (error) => console.log('worker ' + worker.id + ' error', error));
worker.on('exit', () => console.log('worker ' + worker.id + ' exit '));
worker.on('listening', (address) => console.log('worker ' + worker.id + ' listerner', address));

worker.on('message', (message) => {
  if (message === 'disconnect') {
    worker.disconnect();
    console.log('worker is dead ' + worker.isDead());
  }
  if (message === 'kill') {
    worker.kill();
  }
});

// The article listens on 10.15.32.49, an address of the author's machine:
// anywhere else listen() fails with EADDRNOTAVAIL. We use the loopback.
http
  .createServer((request, response) => {
    response.writeHead(200);
    response.end('hello world\n');
  })
  .listen(port, '127.0.0.1');
