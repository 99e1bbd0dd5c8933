// The app the lesson's workers run: a small HTTP server, with a few ways to
// misbehave on purpose, chosen by environment variables (the demo and the
// tests set them; a reload can change them, as a new version would).
//
//   GET /            "version V, worker W (slot S)"
//   GET /slow?ms=N   the same, N ms later (a request that is in flight for a while)
//   GET /hang        never answered (a request that would hold a drain forever)
//   ?id=X            with APP_LOG=1, the worker prints "worker W took X" and "worker W answered X"
//
//   APP_LOG_CONNECTIONS=1  the worker also prints "worker W got a connection" and "worker W stopped listening"
//
//   APP_VERSION=V       what it answers with
//   APP_BREAK=at-start  exits with code 1 before it listens (a version that cannot start)
//   APP_BREAK_SLOT=S    the same, in slot S only
//   APP_READY_AFTER=MS  sends 'ready' to the primary MS ms after it listens; "never": it never does
//   APP_LEAK_WORKER=W   worker W holds APP_LEAK_MB MB (default 300) once it listens (a leak)
import http from 'node:http';
import cluster from '#cluster';
import { loadSupervisor } from './supervisor-target';

export function serveApp(): void {
  const workerId = cluster.worker!.id;
  const slot = process.env.SUPERVISOR_SLOT ?? '?';
  const version = process.env.APP_VERSION ?? '1';
  const log = process.env.APP_LOG === '1';
  if (process.env.APP_BREAK === 'at-start' || process.env.APP_BREAK_SLOT === slot) {
    console.error(`worker ${workerId} (slot ${slot}, version ${version}): cannot start`);
    process.exit(1);
  }
  // Ctrl-C in a terminal signals the whole process group, workers too. They
  // leave the decision to the primary, which drains them (SIGINT to the
  // primary); if the primary dies instead, the closed channel ends them.
  process.on('SIGINT', () => {});

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const id = url.searchParams.get('id');
    if (log && id) console.log(`worker ${workerId} took ${id}`);
    const answer = () => {
      if (log && id) console.log(`worker ${workerId} answered ${id}`);
      response.end(`version ${version}, worker ${workerId} (slot ${slot})\n`);
    };
    if (url.pathname === '/hang') return;
    if (url.pathname === '/slow') setTimeout(answer, Number(url.searchParams.get('ms') ?? 1000));
    else answer();
  });
  if (process.env.APP_LOG_CONNECTIONS === '1') {
    server.on('connection', () => console.log(`worker ${workerId} got a connection`));
    // No event says that disconnect() has closed the server (its 'close' waits for the last connection), so look.
    server.once('listening', () => {
      const watch = setInterval(() => {
        if (server.listening) return;
        clearInterval(watch);
        console.log(`worker ${workerId} stopped listening`);
      }, 5).unref();
    });
  }
  // The worker's half of a drain: keep-alive connections close as soon as they are free.
  loadSupervisor().closeConnectionsOnDrain(server);
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    if (process.env.APP_LEAK_WORKER === String(workerId)) holdMemory(Number(process.env.APP_LEAK_MB ?? 300));
    const readyAfter = process.env.APP_READY_AFTER;
    if (readyAfter === undefined || readyAfter === 'never') return;
    setTimeout(() => {
      if (log) console.log(`worker ${workerId} says ready`);
      process.send!('ready');
    }, Number(readyAfter));
  });
}

const held: Buffer[] = [];

/** Memory the worker really occupies: written to, so the pages are resident. */
function holdMemory(megabytes: number): void {
  for (let i = 0; i < megabytes; i++) held.push(Buffer.alloc(1024 * 1024, 1));
}
