// The app every host runs: an HTTP server on the host's cluster. The primary
// keeps the workers going (host-primary.ts); each worker answers every
// request with who it is, so that the client can tell which host and which
// worker served it, and on which connection (a connection is what the
// cluster balances; a request is what nginx balances).
//
// Started by farm.ts on each host, with its settings in the environment:
// HOST_NAME, HOST_ADDRESS, HOST_PORT (0: any free one), WORKERS, and
// VERSION_FILE (a deploy writes a new version there, then reloads the host).
import fs from 'node:fs';
import http from 'node:http';
import cluster from '#cluster';
import { runHostPrimary } from './host-primary';
import { closeConnectionsOnDrain } from './supervisor';

const hostName = process.env.HOST_NAME ?? 'host?';

if (cluster.isPrimary) {
  runHostPrimary(cluster, { workers: Number(process.env.WORKERS ?? 2), say: (line) => console.log(line) });
} else {
  serve();
}

function serve(): void {
  const worker = `worker${cluster.worker!.id}`;
  // The version is read once, as the worker starts: a reload brings the new one.
  const version = process.env.VERSION_FILE ? fs.readFileSync(process.env.VERSION_FILE, 'utf8').trim() : '1';
  let connections = 0;
  const numbers = new WeakMap<object, number>();
  const server = http.createServer((request, response) => {
    request.resume(); // a POST's body is read and dropped
    request.on('end', () => {
      response.setHeader('x-host', hostName);
      response.setHeader('x-worker', worker);
      response.setHeader('x-version', version);
      // Which of this worker's connections carried the request: the same
      // number twice means nginx kept the connection open and reused it.
      response.setHeader('x-connection', `${process.pid}.${numbers.get(request.socket)}`);
      response.end(`${hostName} ${worker} (pid ${process.pid}, version ${version})\n`);
    });
  });
  server.on('connection', (socket) => numbers.set(socket, ++connections));
  // Lesson 8: when the supervisor drains this worker, its kept-alive
  // connections close after their answers instead of keeping it alive.
  closeConnectionsOnDrain(server);
  server.listen(Number(process.env.HOST_PORT ?? 8080), process.env.HOST_ADDRESS);
}
