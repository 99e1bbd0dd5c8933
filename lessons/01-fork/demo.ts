// Lesson 1's demo: the article's first example. The same file runs as the
// primary and, forked, as every worker: the cluster tells it which it is.
//
//   npm run lesson 1                  on the reference solution
//   npm run lesson 1 -- --workers 2   with 2 workers instead of 4
//   npm run lesson 1 -- --mine        on your code in ./cluster
//   npm run lesson 1 -- --node        on real node:cluster
import cluster from '#cluster';

const workerCount = Number(process.env.WORKERS ?? 4);

if (cluster.isPrimary) {
  console.log('I am master');
  for (let i = 0; i < workerCount; i++) {
    cluster.fork();
  }
  console.log(`cluster.workers has ids ${Object.keys(cluster.workers ?? {}).join(', ')}`);
} else if (cluster.isWorker) {
  console.log(`I am worker #${cluster.worker?.id}`);
  // The article's workers never end: real node keeps a worker alive while it
  // is connected to its primary (lesson 4 builds that). Ours leaves once its
  // line is printed, so the demo ends by itself on all three targets.
  process.exit(0);
}
