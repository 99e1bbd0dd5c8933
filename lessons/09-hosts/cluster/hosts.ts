// The hosts: N machines on this one machine. Each is a Linux network
// namespace (a network stack of its own: its own interfaces, addresses, ports
// and routing table) joined to the others by a bridge, the way machines in a
// rack hang off one switch:
//
//   root namespace:  bridge cfs9b<id>  10.<a>.<b>.1/24   (nginx lives here)
//                      |-- veth cfs9v<id>h1 <-> eth0 in cfs9-<id>-host1  10.<a>.<b>.2
//                      |-- veth cfs9v<id>h2 <-> eth0 in cfs9-<id>-host2  10.<a>.<b>.3
//                      ...
//
// Every name carries a run id, claimed atomically (creating the bridge fails
// if another run holds that id), so parallel runs never collide, and the
// bridge's alias records the process that owns it, so a later run can sweep
// the leftovers of one that was killed. Without namespaces (not root, not
// Linux, no `ip`), the hosts fall back to loopback addresses: the same program,
// with one network stack shared by all.
import { spawnSync } from 'node:child_process';

export interface Host {
  /** 1, 2, 3... */
  index: number;
  /** host1, host2... (what every answer says) */
  name: string;
  /** the address the host's app listens on, and nginx sends to */
  address: string;
  /** the network namespace (undefined on loopback) */
  namespace?: string;
  /** the root side of the host's cable: take it down and the host is unreachable */
  link?: string;
}

export interface Network {
  /** the run id in every name this network created (namespaces only) */
  runId?: number;
  mode: 'namespaces' | 'loopback';
  /** one line for humans: what the hosts are */
  description: string;
  hosts: Host[];
  /** the command line that runs `argv` on `host` */
  commandOn(host: Host, argv: string[]): string[];
  /** pull the host's cable out (namespaces only) */
  linkDown(host: Host): void;
  /** and plug it back in */
  linkUp(host: Host): void;
  /** removes everything this network created; safe to call twice */
  teardown(): void;
}

/** Everything we create starts with this, and nothing else does. */
export const NAME_PREFIX = 'cfs9';
/** The private range the run ids map into: 10.200.0.0 to 10.239.255.0, one /24 per run. */
const RUN_IDS = 40 * 256;

/** Makes `count` hosts: namespaces when it can, loopback addresses when it cannot. */
export function createNetwork(count: number): Network {
  const why = whyNoNamespaces();
  if (why) return loopbackNetwork(count, why);
  sweepLeftovers();
  return namespaceNetwork(count);
}

// ------------------------------------------------------------ can we?

/** Why namespaces cannot be made here, or undefined when they can. */
export function whyNoNamespaces(): string | undefined {
  if (process.env.LESSON9_NETWORK === 'loopback') return 'LESSON9_NETWORK=loopback asks for it';
  if (process.platform !== 'linux') return `network namespaces are Linux's, and this is ${process.platform}`;
  if (process.getuid?.() !== 0) return 'making network namespaces needs root';
  const probe = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' });
  if (probe.error) return 'the `ip` command (iproute2) is not installed';
  if (probe.status !== 0) return `\`ip netns\` does not work here: ${probe.stderr.trim()}`;
  return undefined;
}

// ------------------------------------------------------------ namespaces

function namespaceNetwork(count: number): Network {
  const id = claimRunId();
  const bridge = `${NAME_PREFIX}b${id}`;
  const subnet = `10.${200 + Math.floor(id / 256)}.${id % 256}`;
  const hosts: Host[] = [];
  const network: Network = {
    runId: id,
    mode: 'namespaces',
    description: `${count} network namespaces on bridge ${bridge} (${subnet}.0/24)`,
    hosts,
    commandOn: (host, argv) => ['ip', 'netns', 'exec', host.namespace!, ...argv],
    linkDown: (host) => ip('link', 'set', host.link!, 'down'),
    linkUp: (host) => ip('link', 'set', host.link!, 'up'),
    teardown: () => {
      // The root side of a veth pair takes its other end with it; the
      // namespace goes when its name is deleted and its last process is gone.
      for (const host of hosts) {
        ipQuietly('link', 'del', host.link!);
        ipQuietly('netns', 'del', host.namespace!);
      }
      ipQuietly('link', 'del', bridge);
      hosts.length = 0;
    },
  };
  try {
    ip('addr', 'add', `${subnet}.1/24`, 'dev', bridge);
    ip('link', 'set', bridge, 'up');
    for (let index = 1; index <= count; index++) {
      const host: Host = {
        index,
        name: `host${index}`,
        address: `${subnet}.${index + 1}`,
        namespace: `${NAME_PREFIX}-${id}-host${index}`,
        link: `${NAME_PREFIX}v${id}h${index}`,
      };
      hosts.push(host);
      ip('netns', 'add', host.namespace!);
      // One cable: one end stays here, on the bridge; the other goes into the
      // host, where it is called eth0 (names are per namespace).
      ip('link', 'add', host.link!, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', host.namespace!);
      ip('link', 'set', host.link!, 'master', bridge, 'up');
      ip('-n', host.namespace!, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0');
      ip('-n', host.namespace!, 'link', 'set', 'eth0', 'up');
      ip('-n', host.namespace!, 'link', 'set', 'lo', 'up');
    }
  } catch (error) {
    network.teardown();
    throw error;
  }
  return network;
}

/** Creates our bridge under a free run id: the kernel refuses a name that exists, so two runs never get one id. */
function claimRunId(): number {
  for (let attempt = 0; attempt < 100; attempt++) {
    const id = (process.pid + attempt * 7919) % RUN_IDS;
    const bridge = `${NAME_PREFIX}b${id}`;
    const made = spawnSync('ip', ['link', 'add', 'name', bridge, 'type', 'bridge'], { encoding: 'utf8' });
    if (made.status === 0) {
      ip('link', 'set', 'dev', bridge, 'alias', `owner ${process.pid}`);
      return id;
    }
    if (!/exists/i.test(made.stderr)) throw new Error(`ip link add ${bridge} type bridge: ${made.stderr.trim()}`);
  }
  throw new Error('no free run id for the hosts: too many leftovers? (ip -br link | grep cfs9)');
}

/** Removes what runs that were killed (SIGKILL leaves no time to clean up) left behind: their owner is gone. */
function sweepLeftovers(): void {
  const links = spawnSync('ip', ['-o', 'link', 'show', 'type', 'bridge'], { encoding: 'utf8' }).stdout ?? '';
  for (const match of links.matchAll(new RegExp(`^\\d+: (${NAME_PREFIX}b(\\d+)):.*?alias owner (\\d+)`, 'gm'))) {
    const [, bridge, id, owner] = match;
    if (isAlive(Number(owner))) continue;
    const namespaces = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
    for (const name of namespaces.match(new RegExp(`^${NAME_PREFIX}-${id}-host\\d+`, 'gm')) ?? []) ipQuietly('netns', 'del', name);
    ipQuietly('link', 'del', bridge);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ip(...args: string[]): void {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ip ${args.join(' ')}: ${(result.stderr || String(result.error)).trim()}`);
}

function ipQuietly(...args: string[]): void {
  spawnSync('ip', args, { stdio: 'ignore' });
}

// ------------------------------------------------------------ loopback

/**
 * The fallback: every host on this machine's own network stack. On Linux the
 * whole of 127.0.0.0/8 is loopback, so each host still gets an address of its
 * own (127.0.0.2, 127.0.0.3...); elsewhere they share 127.0.0.1 and differ by
 * port. A host cannot lose its link here: there is no cable to pull.
 */
function loopbackNetwork(count: number, why: string): Network {
  const distinct = process.platform === 'linux';
  const hosts = Array.from({ length: count }, (_, i) => ({
    index: i + 1,
    name: `host${i + 1}`,
    address: distinct ? `127.0.0.${i + 2}` : '127.0.0.1',
  }));
  return {
    mode: 'loopback',
    description: `no network namespaces (${why}): ${count} hosts on ${distinct ? `127.0.0.2 to 127.0.0.${count + 1}` : 'ports of 127.0.0.1'} instead`,
    hosts,
    commandOn: (_host, argv) => argv,
    linkDown: () => {
      throw new Error('a loopback host has no link to take down');
    },
    linkUp: () => {},
    teardown: () => {},
  };
}

/** What a network left behind (the tests check it is nothing): its namespaces and links, by name. */
export function leftoversOf(network: Network): string[] {
  if (network.runId === undefined) return [];
  const id = network.runId;
  const namespaces = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? '';
  const links = spawnSync('ip', ['-o', 'link'], { encoding: 'utf8' }).stdout ?? '';
  const ours = new RegExp(`\\b${NAME_PREFIX}(?:-${id}-host\\d+|b${id}|v${id}h\\d+)\\b`, 'g');
  return [
    ...(namespaces.match(ours) ?? []).map((name) => `namespace ${name}`),
    ...(links.match(ours) ?? []).map((name) => `link ${name}`),
  ];
}
