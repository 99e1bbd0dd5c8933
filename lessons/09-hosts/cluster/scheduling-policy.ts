// How the primary shares a listening socket with its workers.
//
//   SCHED_RR   round-robin: the primary accepts every connection and hands
//              it to the next free worker (node's default, except on Windows)
//   SCHED_NONE shared handle: every worker gets the listening socket itself,
//              and the operating system decides who accepts
//
// Node reads NODE_CLUSTER_SCHED_POLICY ('rr' or 'none') when the module
// loads; a program can still change cluster.schedulingPolicy until the
// primary's first setupPrimary() or fork(), which freezes it.
export const SCHED_NONE = 1;
export const SCHED_RR = 2;

export type SchedulingPolicy = typeof SCHED_NONE | typeof SCHED_RR;

// #region policy-from-environment
export function policyFromEnvironment(): SchedulingPolicy {
  // #step 5.1 policy
  const chosen = process.env.NODE_CLUSTER_SCHED_POLICY;
  if (chosen === 'rr') return SCHED_RR;
  if (chosen === 'none') return SCHED_NONE;
  return process.platform === 'win32' ? SCHED_NONE : SCHED_RR;
  // #endstep 5.1 policy
}
// #endregion policy-from-environment
