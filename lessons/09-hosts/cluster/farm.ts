// The whole set-up of lesson 9, started and torn down as one: the hosts
// (hosts.ts), the app on each host's cluster (host-app.ts), and nginx in
// front of them (nginx.ts). Demos and tests start a farm, use it, and close
// it; closing removes everything the farm made (processes, namespaces,
// links, files), and runs by itself if the program exits first.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createNetwork, type Host, type Network } from './hosts';
import { findNginx, freePort, HOW_TO_INSTALL_NGINX, Nginx } from './nginx';
import { DEFAULT_BALANCER, nginxConfig, type BalancerOptions, type BalancerSetup } from './nginx-config';

export interface FarmOptions {
  hosts: number;
  /** workers per host */
  workers: number;
  balancer?: Partial<BalancerOptions>;
}

export interface RunningHost {
  host: Host;
  /** the port its app listens on (8080 in a namespace: each host has all its ports) */
  port: number;
  /** the host's primary (what `ip netns exec` became) */
  primary: ChildProcess;
  /** what the primary printed */
  lines: string[];
  drained: boolean;
}

/** The repository, where `--require tsx/cjs` and `#cluster` resolve. */
const repoRoot = path.resolve(__dirname, '..', '..');
const HOST_PORT_IN_NAMESPACE = 8080;

export class NginxMissing extends Error {
  constructor() {
    super(HOW_TO_INSTALL_NGINX);
  }
}

export class Farm {
  readonly hosts: RunningHost[] = [];
  options: BalancerOptions;
  private nginx?: Nginx;
  private closed = false;
  private readonly closeOnExit = () => this.teardown();

  private constructor(
    readonly network: Network,
    /** nginx's folder, and the version file the hosts read */
    readonly folder: string,
    options: BalancerOptions,
  ) {
    this.options = options;
  }

  /** Starts the hosts and nginx; throws NginxMissing when there is no nginx. */
  static async start(options: FarmOptions): Promise<Farm> {
    const binary = findNginx();
    if (!binary) throw new NginxMissing();
    // Write the configuration once before anything starts: a mistake in it
    // shows now, not after the hosts have taken seconds to start.
    nginxConfig({ prefix: os.tmpdir(), port: 1, members: [], options: { ...DEFAULT_BALANCER, ...options.balancer } });
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'cfs9-'));
    const farm = new Farm(createNetwork(options.hosts), folder, { ...DEFAULT_BALANCER, ...options.balancer });
    process.once('exit', farm.closeOnExit);
    try {
      farm.setVersion('1');
      await Promise.all(farm.network.hosts.map((host) => farm.startHost(host, options.workers)));
      farm.nginx = await Nginx.start(binary, farm.balancerSetup(await freePort()));
    } catch (error) {
      await farm.close();
      throw error;
    }
    return farm;
  }

  /** Where clients send their requests: nginx. */
  get url(): string {
    return `http://127.0.0.1:${this.nginx!.port}/`;
  }

  /** The version the hosts' workers load when they start (a deploy changes it, then reloads the hosts). */
  setVersion(version: string): void {
    fs.writeFileSync(path.join(this.folder, 'version'), `${version}\n`);
  }

  /** nginx with other options (steps 2, 3, 5): resolves once every request follows them. */
  async configure(changes: Partial<BalancerOptions>): Promise<void> {
    this.options = { ...this.options, ...changes };
    await this.nginx!.configure(this.balancerSetup(this.nginx!.port));
  }

  /** Takes a host out of nginx's rotation, or puts it back (step 4). */
  async setDrained(running: RunningHost, drained: boolean): Promise<void> {
    running.drained = drained;
    await this.nginx!.configure(this.balancerSetup(this.nginx!.port));
  }

  /** The host's rolling reload (SIGHUP to its primary): resolves when its primary says it is done. */
  async reloadHost(running: RunningHost): Promise<void> {
    const ends = () => running.lines.filter((line) => line === 'reloaded' || line === 'reload failed');
    const before = ends().length;
    running.primary.kill('SIGHUP');
    await waitFor(() => ends().length > before, 60_000, `${running.host.name} to reload`);
    if (ends().at(-1) === 'reload failed') throw new Error(`${running.host.name}: the reload failed (its old workers still serve)`);
  }

  /** A host dies: its primary is killed (SIGKILL), and its workers follow it. */
  async killHost(running: RunningHost): Promise<void> {
    const gone = exited(running.primary);
    running.primary.kill('SIGKILL');
    await gone;
  }

  /** A host's cable is pulled: the host runs on, but nothing reaches it (namespaces only). */
  linkDown(running: RunningHost): void {
    this.network.linkDown(running.host);
  }

  linkUp(running: RunningHost): void {
    this.network.linkUp(running.host);
  }

  /** A host that died starts again (and nginx learns its new port, on loopback). */
  async restartHost(running: RunningHost, workers: number): Promise<void> {
    killTree(running.primary.pid);
    this.hosts.splice(this.hosts.indexOf(running), 1);
    await this.startHost(running.host, workers);
    await this.nginx!.configure(this.balancerSetup(this.nginx!.port));
  }

  /** Stops everything and waits until every process is gone. */
  async close(): Promise<void> {
    const processes = [...this.hosts.map((running) => exited(running.primary)), this.nginx?.exited() ?? Promise.resolve()];
    this.teardown();
    await Promise.race([Promise.all(processes), new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
  }

  /**
   * Everything at once, synchronously (it also runs on 'exit', where nothing
   * can wait): every process of every host, nginx, the namespaces and links,
   * the folder.
   */
  teardown(): void {
    if (this.closed) return;
    this.closed = true;
    process.off('exit', this.closeOnExit);
    for (const running of this.hosts) killTree(running.primary.pid);
    this.nginx?.stop();
    this.network.teardown();
    fs.rmSync(this.folder, { recursive: true, force: true });
  }

  private balancerSetup(port: number): BalancerSetup {
    return {
      prefix: this.folder,
      port,
      members: this.hosts.map((running) => ({ name: running.host.name, address: running.host.address, port: running.port, drained: running.drained })),
      options: this.options,
    };
  }

  /** Runs host-app.ts on the host, and waits for "ready <address>:<port>". */
  private async startHost(host: Host, workers: number): Promise<void> {
    const argv = this.network.commandOn(host, [process.execPath, '--require', 'tsx/cjs', path.join(__dirname, 'host-app.ts')]);
    const primary = spawn(argv[0], argv.slice(1), {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        HOST_NAME: host.name,
        HOST_ADDRESS: host.address,
        HOST_PORT: String(this.network.mode === 'namespaces' ? HOST_PORT_IN_NAMESPACE : 0),
        WORKERS: String(workers),
        VERSION_FILE: path.join(this.folder, 'version'),
      },
    });
    const running: RunningHost = { host, port: 0, primary, lines: [], drained: false };
    this.hosts.push(running);
    this.hosts.sort((a, b) => a.host.index - b.host.index);
    let partial = '';
    primary.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const pieces = (partial + chunk).split('\n');
      partial = pieces.pop()!;
      running.lines.push(...pieces);
    });
    await waitFor(() => running.lines.some((line) => line.startsWith('ready ')), 60_000, `${host.name} to start`, primary);
    running.port = Number(running.lines.find((line) => line.startsWith('ready '))!.split(':').pop());
  }
}

/** Polls `done` until it holds; fails after `limit` ms, or at once if `process` exits meanwhile. */
async function waitFor(done: () => boolean, limit: number, what: string, process?: ChildProcess): Promise<void> {
  for (let waited = 0; !done(); waited += 50) {
    if (waited >= limit) throw new Error(`waited ${limit / 1000} s for ${what}`);
    if (process && process.exitCode !== null) throw new Error(`${what}: it exited with code ${process.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * SIGKILL to a process and all its descendants (a host's primary, its
 * workers, their helpers): the primary first, so that it cannot replace a
 * worker it sees die, then the others, found before any was killed.
 */
function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  const descendants = (parent: number): number[] => childrenOf(parent).flatMap((child) => [child, ...descendants(child)]);
  for (const each of [pid, ...descendants(pid)]) {
    try {
      process.kill(each, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

function childrenOf(pid: number): number[] {
  if (!fs.existsSync('/proc')) return [];
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}
