// Lesson 7's demo: the two other kinds of socket a cluster shares. Each worker
// serves HTTP on a pipe, `app.sock`, a path RELATIVE to its working folder, and
// answers UDP datagrams on one port of 127.0.0.1. The primary asks both a few
// times, prints who answered, lets the workers go and checks that the socket
// file went with the last of them.
//
//   npm run lesson 7 [-- --workers N] [--port P] [--node | --mine]
//   (--port is the UDP port; 0, the default, is any free port, shared all the same)
import dgram from 'node:dgram';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:cluster';
import cluster from '#cluster';

const workerCount = Number(process.env.WORKERS ?? 2);
const udpPort = Number(process.env.PORT ?? 0);
const ASKS = 6;
/** Every worker forked: cluster.workers no longer lists one that has disconnected, though it may still run. */
const forked: Worker[] = [];

if (cluster.isWorker) serve();
else void main();

// ------------------------------------------------------------ a worker

function serve(): void {
  const name = `worker${cluster.worker!.id}`;
  // Every worker runs in the demo's folder: 'app.sock' is resolved there, in the worker.
  process.chdir(process.env.DEMO_DIR!);
  // #region worker
  http.createServer((_request, response) => response.end(name)).listen('app.sock');

  const udp = dgram.createSocket('udp4');
  udp.on('message', (_message, from) => udp.send(name, from.port, from.address));
  udp.bind(udpPort, '127.0.0.1');
  // #endregion worker
}

// ------------------------------------------------------------ the primary

async function main(): Promise<void> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cluster-lesson7-demo-'));
  const socketPath = path.join(folder, 'app.sock');
  const removeFolder = () => fs.rmSync(folder, { recursive: true, force: true });
  process.on('exit', removeFolder);

  let over = false;
  /** A worker that stops early (a TODO in your code, say) ends the demo. */
  const stopEarly = (why: string) => {
    if (over) return;
    over = true;
    console.log(`${why} before the demo was over`);
    process.exitCode = 1;
    cluster.disconnect();
    // A worker whose cluster cannot close what it holds (a UDP socket bound in
    // the worker, say) never leaves on disconnect(): after 5 s it is killed.
    setTimeout(killWorkersLeft, 5000).unref();
  };
  cluster.on('exit', (worker, code, signal) => stopEarly(`worker${worker.id} stopped (code ${code}, signal ${signal})`));
  setTimeout(() => stopEarly('20 s went by'), 20_000).unref();

  console.log(`${workerCount} workers, each on the pipe app.sock in ${folder} and on UDP 127.0.0.1:${udpPort}`);
  let port = udpPort;
  let listening = 0;
  const allListening = new Promise<void>((resolve) => {
    cluster.on('listening', (worker, address) => {
      if (address.addressType === 'udp4') port = address.port;
      const where = address.addressType === -1 ? `pipe ${path.basename(String(address.address))}` : `${address.addressType} port ${address.port}`;
      console.log(`worker${worker.id} listening: ${where}`);
      if (++listening === workerCount * 2) resolve();
    });
  });
  for (let i = 0; i < workerCount; i++) forked.push(cluster.fork({ DEMO_DIR: folder }));
  await allListening;

  console.log(`\n${ASKS} HTTP requests over the pipe:`);
  for (let i = 0; i < ASKS; i++) console.log(`  GET / → ${await getOverPipe(socketPath)}`);
  console.log(`${ASKS} datagrams to 127.0.0.1:${port}:`);
  for (let i = 0; i < ASKS; i++) console.log(`  ping → ${await ping(port)}`);

  over = true;
  cluster.disconnect(() => {
    console.log(`\nevery worker has left; app.sock ${fs.existsSync(socketPath) ? 'is still there' : 'is gone'}`);
  });
}

/** One GET over the pipe, on a fresh connection: the body. */
function getOverPipe(socketPath: string): Promise<string> {
  return new Promise((resolve) => {
    http
      .get({ socketPath, path: '/', agent: false }, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve(body));
      })
      .on('error', (error: NodeJS.ErrnoException) => resolve(`failed (${error.code})`));
  });
}

/** One datagram from a fresh socket: the answer, or "no answer" after a second. */
function ping(port: number): Promise<string> {
  const client = dgram.createSocket('udp4');
  return new Promise<string>((resolve) => {
    const timer = setTimeout(() => resolve('no answer'), 1000);
    client.once('message', (message) => {
      clearTimeout(timer);
      resolve(String(message));
    });
    client.send('ping', port, '127.0.0.1');
  }).finally(() => client.close());
}

function killWorkersLeft(): void {
  for (const worker of forked) if (!worker.isDead()) worker.process.kill('SIGKILL');
}
