// A primary that ends with the exit code given as its first argument, once its worker has gone.
const cluster = require('node:cluster');

if (cluster.isPrimary) {
  cluster.fork().on('exit', () => process.exit(Number(process.argv[2])));
} else {
  cluster.worker.disconnect();
}
