// Sending to a worker that is gone: the callback gets the error; without a callback, 'error' on the Worker.
const cluster = require('node:cluster');

if (cluster.isPrimary) {
  const worker = cluster.fork();
  worker.on('error', (error) => console.log(`primary: worker error event ${error.code}`));
  worker.on('exit', () => {
    console.log(`primary: send with a callback returns ${worker.send('late', (error) => console.log(`primary: callback ${error && error.code}`))}`);
    console.log(`primary: send without one returns ${worker.send('late')}`);
  });
} else {
  cluster.worker.disconnect();
}
