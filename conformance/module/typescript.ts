// A TypeScript program (CommonJS), with the names node:cluster's types give.
import cluster, { type Worker } from 'node:cluster';

if (cluster.isPrimary) {
  const worker: Worker = cluster.fork();
  worker.on('message', (message: { hello: string }) => {
    console.log(`primary: the worker says ${message.hello}`);
    worker.disconnect();
  });
  worker.on('exit', (code: number) => console.log(`primary: exit ${code}`));
} else {
  process.send!({ hello: `typed world from ${cluster.worker!.id}` });
}
