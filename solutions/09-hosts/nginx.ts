// nginx, the balancer: a real one, from the system's packages, run as an
// ordinary foreground process with everything of its own (config, pid file,
// temporary files) in a temporary folder. Started as root, it drops to the
// `nobody` user first: a balancer needs no privileges to listen on a high
// port of 127.0.0.1 and connect to the hosts.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { nginxConfig, type BalancerSetup } from './nginx-config';

export const HOW_TO_INSTALL_NGINX =
  'nginx is not installed. On Debian or Ubuntu: sudo apt-get install -y --no-install-recommends nginx ' +
  '(on macOS: brew install nginx). Lesson 9 runs it as an ordinary process: nothing is configured system-wide.';

/** The nginx binary (NGINX=path chooses one), or undefined when there is none. */
export function findNginx(): string | undefined {
  if (process.env.NGINX) return isExecutable(process.env.NGINX) ? process.env.NGINX : undefined;
  const folders = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/bin', '/opt/homebrew/bin'];
  return folders.map((folder) => path.join(folder, 'nginx')).find((file) => isExecutable(file));
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export class Nginx {
  private stopped = false;

  private constructor(
    private readonly binary: string,
    private readonly child: ChildProcess,
    private readonly configFile: string,
    readonly port: number,
    /** what nginx said on stderr (its error log) */
    readonly log: string[],
  ) {}

  /** Writes the config, starts nginx, and resolves once it accepts connections. */
  static async start(binary: string, setup: BalancerSetup): Promise<Nginx> {
    const configFile = path.join(setup.prefix, 'nginx.conf');
    fs.writeFileSync(configFile, nginxConfig(setup));
    const user = unprivilegedUser();
    if (user) fs.chownSync(setup.prefix, user.uid, user.gid);
    check(binary, setup.prefix, configFile, user);
    const child = spawn(binary, ['-p', setup.prefix, '-c', configFile, '-e', 'stderr', '-g', 'daemon off;'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(user ?? {}),
    });
    const log: string[] = [];
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => log.push(...chunk.trimEnd().split('\n')));
    const nginx = new Nginx(binary, child, configFile, setup.port, log);
    await nginx.waitUntilAccepting();
    return nginx;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /**
   * A new configuration, with no request lost: nginx's master reads it on
   * SIGHUP, starts new worker processes with it, and lets the old ones finish
   * the requests they hold and leave. Resolves once the old ones are gone, so
   * that from then on every request follows the new configuration.
   */
  async configure(setup: BalancerSetup): Promise<void> {
    fs.writeFileSync(this.configFile, nginxConfig(setup));
    check(this.binary, setup.prefix, this.configFile, unprivilegedUser());
    const old = this.workerPids();
    this.child.kill('SIGHUP');
    for (let waited = 0; waited < 20_000; waited += 50) {
      const now = this.workerPids();
      if (now.length > 0 && now.every((pid) => !old.includes(pid))) return;
      await sleep(50);
    }
    throw new Error(`nginx did not take its new configuration within 20 s:\n${this.log.slice(-10).join('\n')}`);
  }

  /** nginx's worker processes: the master's children (read from /proc). */
  private workerPids(): number[] {
    const pids: number[] = [];
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        // /proc/PID/stat: "pid (name) state ppid ..."; the name may hold spaces.
        const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        if (parent === this.pid) pids.push(Number(entry));
      } catch {
        // gone meanwhile
      }
    }
    return pids;
  }

  /** Stops nginx at once (its workers go with their master). Safe to call twice. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
  }

  /** Resolves once nginx has exited. */
  exited(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  private async waitUntilAccepting(): Promise<void> {
    for (let waited = 0; waited < 15_000; waited += 100) {
      if (this.child.exitCode !== null) break;
      if (await accepts(this.port)) return;
      await sleep(100);
    }
    this.stop();
    throw new Error(`nginx did not start:\n${this.log.join('\n')}`);
  }
}

/** `nginx -t`: refuse a configuration nginx would refuse, with nginx's own words. */
function check(binary: string, prefix: string, configFile: string, user: { uid: number; gid: number } | undefined): void {
  const result = spawnSync(binary, ['-t', '-q', '-p', prefix, '-c', configFile, '-e', 'stderr'], { encoding: 'utf8', ...(user ?? {}) });
  if (result.status !== 0) throw new Error(`nginx refuses the configuration ${configFile}:\n${result.stderr.trim()}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** When we are root: the `nobody` user and group, for nginx to run as. */
function unprivilegedUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = fs.readFileSync('/etc/passwd', 'utf8');
  const nobody = /^nobody:[^:]*:(\d+):(\d+):/m.exec(passwd);
  return nobody ? { uid: Number(nobody[1]), gid: Number(nobody[2]) } : undefined;
}

/** A free port on 127.0.0.1 for nginx to listen on. */
export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
