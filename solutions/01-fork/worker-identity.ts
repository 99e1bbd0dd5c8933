// How a process knows it is a worker, and which one.
//
// The primary forks each worker with one extra environment variable holding
// its id. A process that finds it is worker N; a process without it is the
// primary. Node itself uses NODE_UNIQUE_ID for this, but we must never set
// that one: Node's own bootstrap would see it and start its built-in worker
// machinery inside our worker.
export const WORKER_ID_VARIABLE = 'CLUSTER_FROM_SCRATCH_WORKER_ID';

// #region worker-id-environment
/** The environment entry that makes a forked process worker `id`. */
export function workerIdEnvironment(id: number): Record<string, string> {
  // #step 1.1 worker-id-environment
  return { [WORKER_ID_VARIABLE]: String(id) };
  // #endstep 1.1 worker-id-environment
}
// #endregion worker-id-environment

// #region take-worker-id
/**
 * Reads this process's worker id, or undefined in the primary. It also
 * removes the variable, as Node does with NODE_UNIQUE_ID, so that a process
 * this worker forks in turn starts as a primary of its own.
 */
export function takeWorkerIdFromEnvironment(): number | undefined {
  // #step 1.1 take-worker-id
  const value = process.env[WORKER_ID_VARIABLE];
  if (value === undefined) return undefined;
  delete process.env[WORKER_ID_VARIABLE];
  return Number(value);
  // #endstep 1.1 take-worker-id
}
// #endregion take-worker-id
