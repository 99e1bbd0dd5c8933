// A worker follows its primary: when the primary exits, the worker hears 'disconnect' and ends.
const cluster = require('node:cluster');

if (cluster.isPrimary) {
  cluster.fork().on('online', () => {
    console.log('primary: leaving');
    process.exit(0);
  });
} else {
  process.on('disconnect', () => console.log('worker: the primary is gone'));
  cluster.worker.on('disconnect', () => console.log('worker: worker disconnect event'));
}
