// `import cluster from '#cluster'` lands here (see "imports" in package.json).
//
// Every demo and every test imports the cluster this way, so ONE file runs on
// any of the three targets. The choice travels in an environment variable,
// CLUSTER_TARGET, and that is why it also reaches the workers: a forked
// worker inherits its primary's environment, loads this same file, and picks
// the same implementation.
//
//   CLUSTER_TARGET=node                       real node:cluster
//   CLUSTER_TARGET=solutions/04-methods       a reference solution
//   CLUSTER_TARGET=lessons/04-methods/cluster your own code
//
// `npm run lesson` and `npm test` set it for you.
import type { Cluster } from 'node:cluster';
import path from 'node:path';
import { repoRoot } from '../scripts/repo-root';

/** The selected cluster's module: node:cluster itself, or the exports of one of our folders. */
function loadSelectedModule(): Record<string, unknown> {
  const target = process.env.CLUSTER_TARGET;
  if (!target) {
    throw new Error(
      'CLUSTER_TARGET is not set, so there is no cluster to load. Run demos with `npm run lesson N` and ' +
        'tests with `npm test -- lesson-N` (they set it), or set it yourself: CLUSTER_TARGET=node, ' +
        'CLUSTER_TARGET=solutions/05-round-robin or CLUSTER_TARGET=lessons/05-round-robin/cluster.',
    );
  }
  if (target === 'node') return require('node:cluster');
  return require(path.resolve(repoRoot, target));
}

const selected = loadSelectedModule();
// node:cluster's module is the cluster itself; ours export it as their default.
// Our implementations have the same names and shapes as node:cluster; the
// type checker cannot know that, so we say it once, here.
const cluster = (process.env.CLUSTER_TARGET === 'node' ? selected : selected.default) as Cluster;
export default cluster;

// `import { isPrimary, fork } from '#cluster'` works too, as it does from
// node:cluster: the names the selected module gives on this side of the
// cluster (a worker has no fork) are passed through as they are.
for (const [name, value] of Object.entries(selected)) {
  if (name !== 'default') module.exports[name] = value;
}
export declare const isPrimary: Cluster['isPrimary'];
export declare const isMaster: Cluster['isMaster'];
export declare const isWorker: Cluster['isWorker'];
export declare const Worker: typeof import('node:cluster').Worker;
export declare const worker: Cluster['worker'];
export declare const workers: Cluster['workers'];
export declare const settings: Cluster['settings'];
export declare const setupPrimary: Cluster['setupPrimary'];
export declare const setupMaster: Cluster['setupMaster'];
export declare const fork: Cluster['fork'];
export declare const disconnect: Cluster['disconnect'];
export declare const schedulingPolicy: Cluster['schedulingPolicy'];
export declare const SCHED_NONE: Cluster['SCHED_NONE'];
export declare const SCHED_RR: Cluster['SCHED_RR'];
