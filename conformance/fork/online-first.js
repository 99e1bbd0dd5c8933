// A worker goes online before any of its own code runs: one that throws at once,
// before it even loads the cluster module, was still online first.
if (process.env.FAIL_AT_ONCE) throw new Error('this worker fails at once, on purpose (stderr is not compared)');

const cluster = require('node:cluster');

const worker = cluster.fork({ FAIL_AT_ONCE: '1' });
worker.on('online', () => console.log('primary: online'));
worker.on('exit', (code) => console.log(`primary: exit ${code}`));
