// Starts scripts/bench/server.ts as its own process group, talks to its
// primary over stdin/stdout (see the top of server.ts), and makes sure that
// neither the primary nor any of its workers outlives the bench.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { repoRoot } from '../repo-root';
import { groupEnds, signalGroup } from '../tools/process-group';
import type { ReadyLine, StatsReply } from './server';

const SERVER_FILE = path.join('scripts', 'bench', 'server.ts');
const CONTROL_MARKER = '@bench ';
const READY_TIMEOUT_MS = 30_000;
const ANSWER_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 2_000;

export interface ServerSpec {
  /** CLUSTER_TARGET: node, or a folder such as solutions/06-measure */
  clusterTarget: string;
  /** NODE_CLUSTER_SCHED_POLICY, or reuseport: workers listen with reusePort (under rr); ignored without workers */
  policy: 'rr' | 'none' | 'reuseport';
  /** 0 = one process, no cluster */
  workers: number;
  /** extra Node options, e.g. ['--cpu-prof'] to profile (the workers inherit them too) */
  nodeOptions?: string[];
}

/**
 * Every server process group still alive. The bench's exit handler kills
 * whatever is left here, so Ctrl-C or a crash in the middle of a run does
 * not leave servers behind.
 */
const running = new Set<ServerProcess>();

export class ServerProcess {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, (line: object) => void>();
  private nextId = 1;
  private stderrTail = '';
  private readonly exited: Promise<void>;
  ready: Promise<ReadyLine>;

  constructor(readonly spec: ServerSpec) {
    // After tsx, so that an option may --require a TypeScript file (the breakdown run's probe).
    const nodeArgs = ['--expose-gc', '--require', 'tsx/cjs', ...(spec.nodeOptions ?? []), SERVER_FILE];
    this.child = spawn(process.execPath, nodeArgs, {
      cwd: repoRoot,
      env: {
        ...process.env,
        CLUSTER_TARGET: spec.clusterTarget,
        NODE_CLUSTER_SCHED_POLICY: spec.policy === 'none' ? 'none' : 'rr',
        BENCH_REUSE_PORT: spec.policy === 'reuseport' ? '1' : '',
        BENCH_WORKERS: String(spec.workers),
      },
      // Its own process group: the primary and every worker it forks can be
      // signalled at once with process.kill(-pid), and a Ctrl-C in the
      // terminal reaches only the bench, which then stops them in order.
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    running.add(this);
    const forget = (): void => void running.delete(this);
    this.exited = once(this.child, 'exit').then(forget, forget);
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-4000);
    });
    // A server that dies (or a bench that stops writing) must not make us crash with EPIPE.
    this.child.stdin!.on('error', () => {});
    this.ready = this.waitForReady();
    // The bench awaits the servers one after another; a server that fails
    // while an earlier one is awaited must not count as an unhandled rejection.
    this.ready.catch(() => {});
    this.readControlLines();
  }

  private waitForReady(): Promise<ReadyLine> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(this.failure(`not ready after ${READY_TIMEOUT_MS / 1000} s`)), READY_TIMEOUT_MS);
      this.pending.set(0, (line) => {
        clearTimeout(timer);
        resolve(line as ReadyLine);
      });
      // Rejecting an already settled promise does nothing, so this only
      // matters for a server that dies while starting.
      void this.exited.then(() => {
        clearTimeout(timer);
        reject(this.failure('exited before it was ready'));
      });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /**
   * Asks the primary for its CPU time, memory and the workers' counters.
   * cpuAt: when the primary reads its own CPU time, before asking the
   * workers ('start') or after ('end', the default); see server.ts.
   */
  stats(options: { gc?: boolean; cpuAt?: 'start' | 'end' } = {}): Promise<StatsReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(this.failure(`no answer to "stats" within ${ANSWER_TIMEOUT_MS / 1000} s`));
      }, ANSWER_TIMEOUT_MS);
      this.pending.set(id, (line) => {
        clearTimeout(timer);
        resolve(line as StatsReply);
      });
      void this.exited.then(() => {
        clearTimeout(timer);
        reject(this.failure('exited while we waited for its answer'));
      });
      const command = { id, cmd: 'stats', gc: options.gc === true, cpuAt: options.cpuAt ?? 'end' };
      this.child.stdin!.write(JSON.stringify(command) + '\n');
    });
  }

  /** Asks the primary to stop; kills the whole group if it has not gone within a grace period. */
  async stop(graceMs = STOP_GRACE_MS): Promise<void> {
    if (!running.has(this)) return;
    this.child.stdin!.end(JSON.stringify({ id: 0, cmd: 'stop' }) + '\n');
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
    // The primary kills its workers before it exits; this catches any that
    // did not listen (a worker's exit is asynchronous). A killed process
    // stays in the group for a moment: the server has stopped once none is left.
    this.kill();
    await groupEnds(this.pid, graceMs);
  }

  /** SIGKILL to the whole process group; synchronous, so usable in an 'exit' handler. */
  kill(): void {
    signalGroup(this.pid, 'SIGKILL');
  }

  private readControlLines(): void {
    let partial = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        // Anything without the marker was printed by someone else (a worker): not ours to read.
        if (!line.startsWith(CONTROL_MARKER)) continue;
        const message = JSON.parse(line.slice(CONTROL_MARKER.length)) as { id?: number; ready?: boolean };
        const id = message.ready ? 0 : message.id!;
        const answer = this.pending.get(id);
        this.pending.delete(id);
        answer?.(message);
      }
    });
  }

  private failure(what: string): Error {
    const { clusterTarget, policy, workers } = this.spec;
    // Node prints the source line of an error; tsx's is one huge minified line: cut long lines.
    const tail = this.stderrTail
      .split('\n')
      .map((line) => line.trimEnd())
      .map((line) => (line.length > 240 ? line.slice(0, 240) + ' …' : line))
      .join('\n')
      .trim();
    return new Error(
      `bench server (${clusterTarget}, ${policy}, ${workers} workers, pid ${this.pid}) ${what}` +
        (tail ? `\n--- its stderr ---\n${tail}` : ''),
    );
  }
}

/** Stops every server still running (politely, then by force). */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...running].map((server) => server.stop()));
}

/** Kills every server group still running, at once and synchronously. */
export function killAllServers(): void {
  for (const server of running) server.kill();
}

/** The pids of the process groups still registered as running (for the leak check). */
export function runningServerGroups(): number[] {
  return [...running].map((server) => server.pid);
}

/** Lists processes (pid + command) that belong to any of the given process groups. */
export async function processesInGroups(groups: readonly number[]): Promise<string[]> {
  const { readdir, readFile } = await import('node:fs/promises');
  const wanted = new Set(groups);
  const found: string[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // fields after the command (which sits in parentheses and may contain spaces): state ppid pgrp ...
      const afterCommand = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (!wanted.has(Number(afterCommand[2]))) continue;
      if (afterCommand[0] === 'Z') continue; // a zombie is already dead, waiting for its parent
      const commandLine = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim();
      found.push(`${entry} ${commandLine}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}
