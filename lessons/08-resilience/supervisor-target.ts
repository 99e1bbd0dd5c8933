// Which supervisor the demo and the tests use. The supervisor sits beside the
// cluster, in the same folder, and takes the cluster as an argument, so it
// follows CLUSTER_TARGET like the cluster does:
//
//   CLUSTER_TARGET=solutions/08-resilience          the reference supervisor, on our cluster
//   CLUSTER_TARGET=lessons/08-resilience/cluster    your supervisor, on your cluster
//   CLUSTER_TARGET=node                             the reference supervisor, on real node:cluster
//
// On node:cluster it is the reference supervisor that runs: node has no
// supervisor of its own, and ours uses nothing but the cluster's public API.
import fs from 'node:fs';
import path from 'node:path';

type SupervisorModule = typeof import('../../solutions/08-resilience/supervisor');

const REFERENCE = 'solutions/08-resilience';

/** The folder whose supervisor.ts runs. */
export function supervisorFolder(): string {
  const target = process.env.CLUSTER_TARGET;
  return target === undefined || target === 'node' ? REFERENCE : target;
}

export function loadSupervisor(): SupervisorModule {
  const folder = supervisorFolder();
  const file = path.resolve(__dirname, '..', '..', folder, 'supervisor.ts');
  if (!fs.existsSync(file)) {
    throw new Error(`${folder} has no supervisor.ts: the supervisor is what lesson 8 adds beside the cluster (step 1 on).`);
  }
  return require(file);
}
