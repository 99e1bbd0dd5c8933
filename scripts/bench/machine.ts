// How busy was the machine with things other than the bench? On a shared
// machine that is the first question to ask of any figure. The load average
// cannot answer it during a run (the bench's own processes count in it), so
// we count CPU time instead: everything the machine spent (/proc/stat) minus
// what the bench and its servers spent (their own process.cpuUsage()).
import fs from 'node:fs';

/** Cumulative CPU time of the whole machine, in seconds, from /proc/stat's first line. */
export interface MachineCpu {
  /**
   * time spent running processes: user, nice, system. Interrupt and softirq
   * time is left out: much of it is the kernel moving our own loopback
   * packets, which Linux charges to no process, so it would look like "others".
   */
  busy: number;
  /** time the hypervisor gave to other virtual machines while we wanted to run */
  steal: number;
  /** everything, idle included */
  total: number;
}

/** /proc/stat counts in clock ticks of 1/100 s (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

export function parseProcStat(text: string): MachineCpu {
  const line = text.split('\n').find((candidate) => candidate.startsWith('cpu '));
  if (!line) throw new Error('no "cpu" line in /proc/stat');
  const [user, nice, system, idle, iowait, irq, softirq, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  const seconds = (ticks: number): number => ticks / TICKS_PER_SECOND;
  return {
    busy: seconds(user + nice + system),
    steal: seconds(steal),
    total: seconds(user + nice + system + idle + iowait + irq + softirq + steal),
  };
}

/** The machine's counters now, or undefined where there is no /proc/stat (not Linux). */
export function readMachineCpu(): MachineCpu | undefined {
  try {
    return parseProcStat(fs.readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}

export interface OtherLoad {
  /** share of the machine's CPU capacity that programs other than the bench used, % */
  othersPercent: number;
  /** share of the capacity stolen by the hypervisor, % */
  stealPercent: number;
}

/**
 * What the rest of the machine used between two readings, given the CPU
 * seconds the bench itself (load generator and servers) used meanwhile.
 */
export function otherLoad(before: MachineCpu, after: MachineCpu, benchCpuSeconds: number): OtherLoad {
  const capacity = after.total - before.total;
  if (capacity <= 0) return { othersPercent: 0, stealPercent: 0 };
  const others = Math.max(0, after.busy - before.busy - benchCpuSeconds);
  return {
    othersPercent: (others / capacity) * 100,
    stealPercent: ((after.steal - before.steal) / capacity) * 100,
  };
}
