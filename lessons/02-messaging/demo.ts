// Lesson 2's demo: the article's echo example and the hello exchange of its
// Example A, without HTTP. The primary greets each worker; each worker greets
// the primary and echoes back whatever the primary says.
import cluster from '#cluster';

const workerCount = Number(process.env.WORKERS ?? 4);

if (cluster.isPrimary) {
  for (let i = 0; i < workerCount; i++) cluster.fork();

  const heardFrom: Record<number, number> = {};
  cluster.on('message', (worker, message) => {
    console.log(`got the worker${worker.id}'s msg：${message}`);
    // Two messages per worker: its greeting and the echo of ours. Then we let
    // it go by closing its channel (lesson 4 builds worker.disconnect()).
    heardFrom[worker.id] = (heardFrom[worker.id] ?? 0) + 1;
    if (heardFrom[worker.id] === 2) worker.process.disconnect();
  });

  for (const worker of Object.values(cluster.workers ?? {})) {
    worker?.send(`hello worker${worker.id}`);
  }
} else {
  const id = cluster.worker?.id;
  process.on('message', (message) => {
    console.log(`worker${id} got the master msg：${message}`);
    process.send!(message); // the echo
  });
  process.send!(`hello master, I am worker${id}`);
}
