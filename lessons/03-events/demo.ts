// Lesson 3's demo: the article's Example A. Every cluster event is logged
// with the article's wording; the workers greet the primary and serve HTTP on
// ONE shared port. Then (our addition, so that the demo ends by itself) the
// primary asks the shared port once, prints the answer, and lets the workers go.
//
//   npm run lesson 3 [-- --workers N] [--port P] [--node | --mine]
import http from 'node:http';
import cluster from '#cluster';
import { forkAndLogEveryEvent, serveLikeExampleA } from '../example-a';

const workerCount = Number(process.env.WORKERS ?? 4);
const port = Number(process.env.PORT ?? 3000);

if (cluster.isPrimary) {
  forkAndLogEveryEvent(workerCount);

  // #region ending
  let listeningWorkers = 0;
  cluster.on('listening', (_worker, address) => {
    if (++listeningWorkers === workerCount) askOnceThenFinish(address.port);
  });
  // #endregion ending
} else {
  serveLikeExampleA(port);
}

/** One request to the shared port, then every worker is let go. */
function askOnceThenFinish(sharedPort: number): void {
  // agent: false gives a fresh connection that closes after the answer.
  http.get({ host: '127.0.0.1', port: sharedPort, agent: false }, (response) => {
    let body = '';
    response.setEncoding('utf8').on('data', (chunk) => (body += chunk));
    response.on('end', () => {
      console.log(`the shared port answered：${body}`);
      // Closing a worker's channel lets it go; lesson 4 builds the proper
      // worker.disconnect() on top of this.
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.disconnect();
    });
  });
}
