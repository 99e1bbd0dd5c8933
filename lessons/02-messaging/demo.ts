// Lesson 2's demo: the hello exchange of the article's Example A without its
// HTTP server, plus the article's echo example. The primary greets each
// worker; each worker greets the primary and echoes back what the primary said.
//
//   npm run lesson 2                  on the reference solution
//   npm run lesson 2 -- --trace       ... and print every internal message as it passes
//   npm run lesson 2 -- --workers 2   with 2 workers instead of 4
//   npm run lesson 2 -- --mine        on your code in ./cluster
//   npm run lesson 2 -- --node        on real node:cluster
import cluster from '#cluster';

const workerCount = Number(process.env.WORKERS ?? 4);

if (cluster.isPrimary) {
  cluster.on('fork', (worker) => console.log(`fork：worker${worker.id}`));
  cluster.on('online', (worker) => console.log(`worker${worker.id} is online now`));

  const heardFrom: Record<number, number> = {};
  cluster.on('message', (worker, message) => {
    console.log(`got the worker${worker.id}'s msg：${message}`);
    // Two messages per worker: its greeting and the echo of ours. Then we let
    // it go by closing its channel (lesson 4 builds worker.disconnect()).
    heardFrom[worker.id] = (heardFrom[worker.id] ?? 0) + 1;
    if (heardFrom[worker.id] === 2) worker.process.disconnect();
  });

  for (let i = 0; i < workerCount; i++) cluster.fork();
  // Sent at once, before any worker is running: the channel keeps each
  // message until the worker's program reads it.
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
