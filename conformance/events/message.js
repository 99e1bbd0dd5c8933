// Messages both ways, and the arguments of every 'message' event.
const cluster = require('node:cluster');

if (cluster.isPrimary) {
  const worker = cluster.fork();
  cluster.on('message', (from, message, handle) => {
    console.log(`primary: cluster message from worker ${from.id}: ${JSON.stringify(message)} handle=${handle}`);
  });
  worker.on('message', (message, handle) => {
    console.log(`primary: worker message ${JSON.stringify(message)} handle=${handle}`);
    if (message.done) worker.disconnect();
  });
  const sent = worker.send({ hello: 'worker', list: [1, 2, { deep: true }] }, () => console.log('primary: send callback'));
  console.log(`primary: send returned ${sent}`);
} else {
  process.on('message', (message, handle) => {
    console.log(`worker: process message ${JSON.stringify(message)} handle=${handle}`);
  });
  cluster.worker.on('message', (message, handle) => {
    console.log(`worker: worker message ${JSON.stringify(message)} handle=${handle}`);
    cluster.worker.send({ back: message.hello });
    process.send({ done: true });
  });
}
