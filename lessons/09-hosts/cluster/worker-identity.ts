// How a process knows it is a worker, and which one.
//
// The primary forks each worker with two extra environment variables: its id,
// and the key that marks the cluster's internal messages (see protocol.ts).
// A process that finds them is worker N; a process without them is the
// primary. Node itself uses NODE_UNIQUE_ID for this, but we must never set
// that one: Node's own bootstrap would see it and start its built-in worker
// machinery inside our worker.
export const WORKER_ID_VARIABLE = 'CLUSTER_FROM_SCRATCH_WORKER_ID';
export const CLUSTER_KEY_VARIABLE = 'CLUSTER_FROM_SCRATCH_KEY';

export interface WorkerIdentity {
  id: number;
  clusterKey: string;
}

/** The environment entries that make a forked process worker `id` of this cluster. */
export function workerIdentityEnvironment(identity: WorkerIdentity): Record<string, string> {
  return { [WORKER_ID_VARIABLE]: String(identity.id), [CLUSTER_KEY_VARIABLE]: identity.clusterKey };
}

/**
 * Reads this process's identity, or undefined in the primary. It also
 * removes the variables, as Node does with NODE_UNIQUE_ID, so that a process
 * this worker forks in turn starts as a primary of its own.
 */
export function takeWorkerIdentityFromEnvironment(): WorkerIdentity | undefined {
  const id = process.env[WORKER_ID_VARIABLE];
  const clusterKey = process.env[CLUSTER_KEY_VARIABLE];
  if (id === undefined || clusterKey === undefined) return undefined;
  delete process.env[WORKER_ID_VARIABLE];
  delete process.env[CLUSTER_KEY_VARIABLE];
  return { id: Number(id), clusterKey };
}
