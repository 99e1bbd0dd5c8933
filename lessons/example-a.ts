// The article's Example A: what lesson 3's demo runs, and lesson 5's runs
// again under each scheduling policy. In the primary, every cluster event is
// logged with the article's wording and each worker is greeted; each worker
// greets back and serves HTTP on the one shared port.
import http from 'node:http';
import cluster from '#cluster';

// #region events
/** The primary's half. */
export function forkAndLogEveryEvent(workerCount: number): void {
  for (let i = 0; i < workerCount; i++) {
    cluster.fork();
  }
  // The listeners are added after the forks, as in the article: 'fork' is
  // emitted on the next tick, so none is missed.
  cluster.on('exit', (worker) => console.log(`worker${worker.id} exit.`));
  cluster.on('fork', (worker) => console.log(`fork：worker${worker.id}`));
  cluster.on('disconnect', (worker) => console.log(`worker${worker.id} is disconnected.`));
  cluster.on('listening', (worker, address) => console.log(`worker${worker.id} listening on ${address.address}:${address.port}`));
  cluster.on('online', (worker) => console.log(`worker${worker.id} is online now`));
  cluster.on('message', (worker, message) => console.log(`got the worker${worker.id}'s msg：${message}`));

  for (const worker of Object.values(cluster.workers ?? {})) {
    worker?.send(`hello worker${worker.id}`);
  }
}
// #endregion events

// #region worker
/** The worker's half. */
export function serveLikeExampleA(port: number): void {
  const id = cluster.worker?.id;
  process.on('message', (message) => {
    console.log(`worker${id} got the master msg：${message}`);
  });
  process.send!(`hello master, I am worker${id}`);
  http
    .createServer((request, response) => {
      response.writeHead(200);
      response.end(`hello world${id}`);
    })
    .listen(port, '127.0.0.1');
}
// #endregion worker
