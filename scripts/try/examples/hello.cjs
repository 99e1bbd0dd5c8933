// A program written for node:cluster, as CommonJS: two workers each answer
// the primary once, then the primary lets them go.
const cluster = require('node:cluster');

if (cluster.isPrimary) {
  console.log('primary: isPrimary', cluster.isPrimary);
  let answers = 0;
  for (let i = 0; i < 2; i++) {
    cluster.fork().on('message', (message) => {
      console.log(`primary: worker answered ${message}`);
      if (++answers === 2) cluster.disconnect(() => console.log('primary: all workers gone'));
    });
  }
} else {
  process.send(`hello from worker ${cluster.worker.id}`);
}
