// One worker's whole life, as the cluster and the Worker tell it: every event,
// its arguments, and worker.state at each step.
const cluster = require('node:cluster');
const http = require('node:http');

if (cluster.isPrimary) {
  const say = (text) => console.log(`primary: ${text}`);
  cluster.on('fork', (worker) => say(`cluster fork ${worker.id} state=${worker.state}`));
  cluster.on('online', (worker) => say(`cluster online ${worker.id} state=${worker.state}`));
  cluster.on('listening', (worker, address) => say(`cluster listening ${worker.id} addressType=${address.addressType} address=${address.address} port is a number: ${typeof address.port === 'number'}`));
  cluster.on('disconnect', (worker) => say(`cluster disconnect ${worker.id} state=${worker.state}`));
  cluster.on('exit', (worker, code, signal) => say(`cluster exit ${worker.id} code=${code} signal=${signal} state=${worker.state}`));
  const worker = cluster.fork();
  const events = (text) => console.log(`primary: worker event ${text}`);
  worker.on('online', () => events(`online state=${worker.state}`));
  worker.on('listening', (address) => {
    events(`listening ${address.addressType} state=${worker.state}`);
    worker.disconnect();
  });
  worker.on('disconnect', () => events(`disconnect connected=${worker.isConnected()} dead=${worker.isDead()}`));
  worker.on('exit', (code, signal) => events(`exit ${code} ${signal} dead=${worker.isDead()} exitedAfterDisconnect=${worker.exitedAfterDisconnect}`));
} else {
  http.createServer((request, response) => response.end('hi')).listen(0, '127.0.0.1', () => console.log('worker: listening'));
  cluster.worker.on('disconnect', () => console.log('worker: disconnect'));
}
