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
import { todo } from '../../todo';

export type SchedulingPolicy = typeof SCHED_NONE | typeof SCHED_RR;

// #region policy-from-environment
export function policyFromEnvironment(): SchedulingPolicy {
  return todo(
    5,
    1,
    'policyFromEnvironment() should read NODE_CLUSTER_SCHED_POLICY (here ' +
      `${JSON.stringify(process.env.NODE_CLUSTER_SCHED_POLICY)}): "rr" gives SCHED_RR, "none" gives SCHED_NONE, ` +
      'anything else round-robin (SCHED_NONE on Windows).',
  );
}
// #endregion policy-from-environment
