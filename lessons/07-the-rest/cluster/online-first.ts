// 'online' before the worker's first line of code.
//
// Node's worker tells its primary it is online while Node itself starts up,
// before the program's main file runs: a worker whose program throws on its
// first line has still gone 'online' first. Our cluster is loaded by the
// program (its `import cluster`), too late for that. So the primary starts
// each worker with this file as a preload (`--require`, see primary.ts), which
// Node runs before the main file, and this file sends 'online'.
//
// Plain JavaScript with no imports: it must run in any worker, even one
// started without the TypeScript loader.
{
  // The worker's identity (worker-identity.ts puts it in the environment; a
  // file with no imports repeats the names). The key marks our messages.
  const id = process.env.CLUSTER_FROM_SCRATCH_WORKER_ID;
  const clusterKey = process.env.CLUSTER_FROM_SCRATCH_KEY;
  if (clusterKey !== undefined && process.send) {
    process.send({ clusterKey, act: 'online' });
    // The line trace.ts prints for each message, under `--trace`.
    if (process.env.CLUSTER_TRACE === '1') {
      const time = new Date().toISOString().slice(11, 23);
      process.stdout.write(`  [trace ${time}] ${`worker ${id} → primary`.padEnd(20)} online\n`);
    }
  }

  // Take our `--require` back out of process.execArgv: the program sees the
  // Node options it was started with, as in node, and the processes it forks
  // in turn do not run this file.
  const at = process.execArgv.indexOf(__filename);
  if (at > 0 && process.execArgv[at - 1] === '--require') process.execArgv.splice(at - 1, 2);
}
