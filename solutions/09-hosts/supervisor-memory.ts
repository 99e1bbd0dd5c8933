// The memory limit. A worker that leaks grows until the machine swaps or the
// kernel kills it, mid-request. Better to replace it while it still answers:
// a new worker first, then the old one drained, as in a reload.
//
// The primary reads each worker's resident set size (RSS: the memory the
// worker really occupies) from /proc/<pid>/status, the file `ps` and `top`
// read. The other way would be for each worker to report its own
// process.memoryUsage().rss; but a worker busy in a long loop, or stuck, does
// not report anything, and those are the ones to watch. Reading /proc needs
// nothing from the app and works on any worker; it is Linux only, and the
// option says so.
import fs from 'node:fs';

/** A worker's resident memory in MB, or undefined when it has gone. */
export function residentMegabytes(pid: number): number | undefined {
  let status: string;
  try {
    status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined; // the process has exited
  }
  const line = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return line ? Number(line[1]) / 1024 : undefined;
}

/** A worker over the limit, and by how much. */
export interface OverTheLimit {
  slot: number;
  pid: number;
  megabytes: number;
}

/** The workers (slot → pid) whose resident memory is above `limitMB`. */
export function workersOverTheLimit(pids: Map<number, number>, limitMB: number): OverTheLimit[] {
  // #step 8.8 over-the-limit
  const over: OverTheLimit[] = [];
  for (const [slot, pid] of pids) {
    const megabytes = residentMegabytes(pid);
    if (megabytes !== undefined && megabytes > limitMB) over.push({ slot, pid, megabytes });
  }
  return over;
  // #endstep 8.8 over-the-limit
}
