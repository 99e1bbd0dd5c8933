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

function loadSelectedCluster(): Cluster {
  const target = process.env.CLUSTER_TARGET;
  if (!target) {
    throw new Error(
      'CLUSTER_TARGET is not set, so there is no cluster to load. Run demos with `npm run lesson N` and ' +
        'tests with `npm test -- lesson-N` (they set it), or set it yourself: CLUSTER_TARGET=node, ' +
        'CLUSTER_TARGET=solutions/05-round-robin or CLUSTER_TARGET=lessons/05-round-robin/cluster.',
    );
  }
  if (target === 'node') return require('node:cluster');
  const folder = path.resolve(__dirname, '..', '..', target);
  // Our implementations have the same names and shapes as node:cluster; the
  // type checker cannot know that, so we say it once, here.
  return require(folder).default as Cluster;
}

const cluster: Cluster = loadSelectedCluster();
export default cluster;
