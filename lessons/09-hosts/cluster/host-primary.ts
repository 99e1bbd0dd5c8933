// The primary of one host: keeps its workers running, and replaces them one
// at a time when the host is told to reload (SIGHUP), which is how a deploy
// reaches a host. Lesson 8's supervisor does this properly (backoff, crash
// loops, readiness, drain); until lesson 8 is merged this file stands in for
// it with the smallest version that keeps the host serving: fork on exit, and
// a rolling reload that adds a worker before it removes one. It only uses the
// cluster's public API, so it runs on node:cluster as well as on ours.
//
// It tells whoever started the host (farm.ts) how things stand, one line on
// stdout at a time: "ready <address>:<port>" once every worker listens, and
// "reloaded" after a reload.
import type { Cluster, Worker } from 'node:cluster';

export interface HostPrimaryOptions {
  workers: number;
  /** one line for the farm */
  say(line: string): void;
}

export function runHostPrimary(cluster: Cluster, { workers, say }: HostPrimaryOptions): void {
  let reloading = false;
  let stopping = false;

  // A worker that dies unplanned is replaced at once (lesson 8 adds the backoff).
  cluster.on('exit', (worker) => {
    if (!worker.exitedAfterDisconnect && !stopping) cluster.fork();
  });

  const firstWorkers = Array.from({ length: workers }, () => cluster.fork());
  void Promise.all(firstWorkers.map(listeningAddress)).then((addresses) => say(`ready ${addresses[0]}`));

  process.on('SIGHUP', () => {
    if (reloading) return;
    reloading = true;
    void reloadOneByOne(cluster).then(() => {
      reloading = false;
      say('reloaded');
    });
  });
  // Stopping the host: let the workers go, then leave.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      stopping = true;
      cluster.disconnect(() => process.exit(0));
    });
  }
}

/** Each old worker in turn: a new one first, listening, then the old one disconnects and leaves. */
async function reloadOneByOne(cluster: Cluster): Promise<void> {
  for (const old of Object.values(cluster.workers ?? {})) {
    if (!old) continue;
    await listeningAddress(cluster.fork());
    const gone = new Promise((resolve) => old.once('exit', resolve));
    old.disconnect();
    await gone;
  }
}

function listeningAddress(worker: Worker): Promise<string> {
  return new Promise((resolve) => worker.once('listening', (address) => resolve(`${address.address}:${address.port}`)));
}
