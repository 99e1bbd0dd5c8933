// The primary of one host: lesson 8's supervisor keeps the host's workers
// serving (a worker that dies is replaced, with a backoff), and on SIGHUP
// replaces them one at a time, a new one ready before an old one is drained:
// that is how a deploy reaches a host. It only uses the cluster's public API,
// so it runs on node:cluster as well as on ours.
//
// It tells whoever started the host (farm.ts) how things stand, one line on
// stdout at a time: "ready <address>:<port>" once every worker is ready,
// "reloaded" (or "reload failed") after a reload, and the supervisor's own
// lines, which start with "supervisor:".
import type { Cluster } from 'node:cluster';
import { supervise } from './supervisor';

export interface HostPrimaryOptions {
  workers: number;
  /** one line for the farm */
  say(line: string): void;
}

export function runHostPrimary(cluster: Cluster, { workers, say }: HostPrimaryOptions): void {
  // Where the workers listen: the same address and port for all of them.
  let address: string | undefined;
  cluster.on('listening', (_worker, where) => (address ??= `${where.address}:${where.port}`));

  const supervisor = supervise(cluster, { workers, log: say });
  let announced = false;
  supervisor.on('ready', () => {
    if (announced || supervisor.readyCount() < workers) return;
    announced = true;
    say(`ready ${address}`);
  });
  // SIGHUP (the supervisor's own signal handling) starts a rolling reload.
  supervisor.on('reload', (report: { ok: boolean }) => say(report.ok ? 'reloaded' : 'reload failed'));
}
