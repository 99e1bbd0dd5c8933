// For the demos of lessons 5 and 6, which show both scheduling policies.
// A cluster's policy is fixed at its first fork, so a demo shows both by
// starting itself again, once per policy, one run after the other.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** Runs `demoFile` again with NODE_CLUSTER_SCHED_POLICY set to each policy in turn. */
export async function runOncePerPolicy(demoFile: string, policies: string[]): Promise<void> {
  let running: ChildProcess | undefined;
  // Each run gets a process group of its own (detached), so that a signal
  // sent to this process reaches the run's primary and all it started at
  // once: Ctrl-C stops everything, and nothing is left behind.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (running?.pid !== undefined && running.exitCode === null) process.kill(-running.pid, signal);
      process.exit(130);
    });
  }
  for (const policy of policies) {
    running = spawn(process.execPath, [...process.execArgv, demoFile], {
      stdio: 'inherit',
      detached: true,
      env: { ...process.env, NODE_CLUSTER_SCHED_POLICY: policy },
    });
    const [code] = (await once(running, 'exit')) as [number | null];
    if (code !== 0) {
      process.exitCode = code ?? 1;
      return;
    }
  }
}
