// Which cluster the tests are running on, and a way to load it inside a test.
import type { Cluster } from 'node:cluster';

/** True when the tests run on real node:cluster (`npm test -- lesson-N --node`). */
export const onNode = process.env.CLUSTER_TARGET === 'node';

/**
 * Loads the cluster under test. Tests call this inside their body rather than
 * importing '#cluster' at the top, so that a starter whose first TODO throws
 * as it loads fails every test with that TODO's message, instead of failing
 * the whole file before any test has run.
 */
export function loadCluster(): Cluster {
  return require('#cluster').default;
}
