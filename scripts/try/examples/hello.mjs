// The same program as an ES module, with node:cluster's named exports.
import cluster, { isPrimary } from 'node:cluster';

if (isPrimary) {
  console.log('primary: isPrimary', isPrimary);
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
