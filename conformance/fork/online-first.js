// A worker goes online before any of its own code runs: one that throws at once was still online first.
const cluster = require('node:cluster');

if (cluster.isPrimary) {
  const worker = cluster.fork();
  worker.on('online', () => console.log('primary: online'));
  worker.on('exit', (code) => console.log(`primary: exit ${code}`));
} else {
  throw new Error('this worker fails at once, on purpose (stderr is not compared)');
}
