// Lesson 9's demo: one address in front of several hosts. It makes the hosts
// (network namespaces, 3 by default), runs the app on each host's cluster
// (2 workers each), puts nginx in front, and then shows, with real traffic
// sent only to nginx on 127.0.0.1:
//
//   1. how the requests spread over hosts and workers (the host × worker table);
//   2. the two levels of round-robin, and what keep-alive does to the inner one;
//   3. a host that dies: killed with retries on, killed with retries 0, its link pulled;
//   4. a rolling deploy across the hosts, under load;
//   5. sticky sessions, and what they cost in balance.
//
// Everything it made goes when it ends, on Ctrl-C, and on failure.
//
//   npm run lesson 9 [-- --workers N] [--node | --mine]
//   npm run lesson 9 -- --hosts 5     (or HOSTS=5, or: node --require tsx/cjs lessons/09-hosts/demo.ts --hosts 5)
import { setTimeout as sleep } from 'node:timers/promises';
import type { Farm } from '../../solutions/09-hosts/farm';
import type { Outcome } from '../../solutions/09-hosts/load';
import { loadParts, type LessonParts } from './parts';

const USAGE = 'usage: npm run lesson 9 [-- --hosts N] [--workers N]   (2 to 20 hosts, 1 to 16 workers on each)';

function readCount(name: string, text: string | undefined, fallback: number, smallest: number, largest: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < smallest || Number(text) > largest) {
    process.stderr.write(`${name} needs a whole number from ${smallest} to ${largest}, got ${JSON.stringify(text)}.\n\n${USAGE}\n`);
    process.exit(2);
  }
  return Number(text);
}

const hostsFlag = process.argv.indexOf('--hosts');
const HOSTS = readCount('--hosts', hostsFlag === -1 ? process.env.HOSTS : (process.argv[hostsFlag + 1] ?? ''), 3, 2, 20);
const WORKERS = readCount('--workers', process.env.WORKERS, 2, 1, 16);

async function main(): Promise<void> {
  const parts = loadParts();
  if (!parts.nginx.findNginx()) {
    process.stderr.write(process.env.NGINX ? `NGINX=${process.env.NGINX} is not an executable file.\n` : `${parts.nginx.HOW_TO_INSTALL_NGINX}\n`);
    process.exit(2);
  }
  // Ctrl-C: the farm removes everything it made as this process exits.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      console.log(`\n${signal}: stopping the hosts and nginx, removing the namespaces and links`);
      process.exit(130);
    });
  }
  const why = parts.hosts.whyNoNamespaces();
  console.log(why ? `hosts: NO network namespaces (${why}): loopback addresses instead` : `hosts: ${HOSTS} network namespaces, ${WORKERS} workers each`);
  const farm = await parts.farm.Farm.start({ hosts: HOSTS, workers: WORKERS, balancer: { keepAlive: false } });
  console.log(`${farm.network.description}; nginx on ${farm.url} (pid ${process.pid} owns them all)`);
  try {
    await spreading(farm, parts);
    await twoLevels(farm, parts);
    await hostDies(farm, parts);
    await rollingDeploy(farm, parts);
    await stickySessions(farm, parts);
  } finally {
    await farm.close();
  }
  console.log('== done: hosts, nginx, namespaces and links removed ==');
}

const requestsPerRound = () => HOSTS * WORKERS * 10;

async function spreading(farm: Farm, { load }: LessonParts): Promise<void> {
  const requests = requestsPerRound();
  console.log(`== 1. Spreading: ${requests} requests through nginx, one at a time, a new connection to the host for each ==`);
  const outcomes = await load.sendLoad({ url: farm.url, requests, concurrency: 1 });
  printTable(outcomes, load);
}

async function twoLevels(farm: Farm, { load }: LessonParts): Promise<void> {
  const requests = requestsPerRound();
  console.log(`== 2. Two levels: the same ${requests} requests, with keep-alive from nginx to the hosts ==`);
  await farm.configure({ keepAlive: true });
  const outcomes = await load.sendLoad({ url: farm.url, requests, concurrency: 1 });
  printTable(outcomes, load);
  const connections = new Set(outcomes.map((outcome) => outcome.connection)).size;
  console.log(
    `nginx chose a host for every request; the hosts' clusters saw ${connections} connection(s) in all, ` +
      `and each connection's worker served every request on it`,
  );
}

async function hostDies(farm: Farm, parts: LessonParts): Promise<void> {
  const { load } = parts;
  console.log('== 3. A host dies, under load (4 requests at a time) ==');
  const phase = async (what: string, event: (running: Farm['hosts'][number]) => Promise<void> | void, running: Farm['hosts'][number]) => {
    const traffic = load.startLoad({ url: farm.url, requests: 5000, durationMs: 30_000, concurrency: 4, timeoutMs: 10_000 });
    await sleep(1000);
    const at = Date.now() - traffic.startedAt;
    await event(running);
    await sleep(what.includes('link') ? 5000 : 2000);
    const outcomes = await traffic.stop();
    const after = outcomes.filter((outcome) => outcome.host === running.host.name && outcome.startedAt > at + 50).length;
    const slowest = Math.max(...outcomes.map((outcome) => outcome.endedAt - outcome.startedAt));
    console.log(`${what}: ${load.describeTally(load.tally(outcomes))} (failures: ${load.describeFailures(outcomes)})`);
    console.log(`    answers from ${running.host.name} after that: ${after}; slowest answer: ${(slowest / 1000).toFixed(2)} s`);
  };
  const [first, second] = farm.hosts;
  await phase(`${first.host.name}'s primary killed, retries on`, (running) => farm.killHost(running), first);
  await farm.restartHost(first, WORKERS);
  await farm.configure({ retries: false });
  await phase(`${second.host.name}'s primary killed, retries 0`, (running) => farm.killHost(running), second);
  await farm.restartHost(farm.hosts[1], WORKERS);
  await farm.configure({ retries: true });
  if (farm.network.mode === 'namespaces') {
    const third = farm.hosts[2];
    await phase(`${third.host.name}'s link down, retries on`, (running) => farm.linkDown(running), third);
    farm.linkUp(third);
    console.log('(the dead hosts were started again, and the link put back)');
  } else {
    console.log('(no link to pull on loopback hosts: that part needs network namespaces)');
    console.log('(the dead hosts were started again)');
  }
}

async function rollingDeploy(farm: Farm, { load, deploy }: LessonParts): Promise<void> {
  console.log('== 4. A rolling deploy of version 2, under load (4 at a time, every other request a POST) ==');
  // Start afresh: nginx forgets, with a reload, the hosts it saw fail.
  await farm.configure({});
  const traffic = load.startLoad({ url: farm.url, requests: 50_000, durationMs: 120_000, concurrency: 4, method: 'mixed' });
  await deploy.rollingDeploy(farm, '2', (line) => console.log(`  ${((Date.now() - traffic.startedAt) / 1000).toFixed(1).padStart(5)} s  ${line}`));
  await sleep(500);
  const outcomes = await traffic.stop();
  const versions = ['1', '2'].map((version) => `version ${version}: ${outcomes.filter((outcome) => outcome.version === version).length}`);
  console.log(`deploy: ${load.describeTally(load.tally(outcomes))} (failures: ${load.describeFailures(outcomes)}); answers by ${versions.join(', ')}`);
}

async function stickySessions(farm: Farm, { load }: LessonParts): Promise<void> {
  const sessions = 12;
  const perSession = 10;
  console.log(`== 5. Sticky sessions: ${sessions * perSession} requests, each from one of ${sessions} sessions at random, hashed on the session cookie ==`);
  await farm.configure({ sticky: true, keepAlive: false });
  const outcomes = await load.sendLoad({ url: farm.url, requests: sessions * perSession, concurrency: 1, sessions });
  for (let session = 1; session <= sessions; session++) {
    const mine = outcomes.filter((outcome) => outcome.session === `user${session}`);
    const hosts = [...new Set(mine.map((outcome) => outcome.host))].join(', ');
    const workers = [...new Set(mine.map((outcome) => outcome.worker!))].sort();
    const counts = workers.map((worker) => `${worker} ×${mine.filter((outcome) => outcome.worker === worker).length}`);
    console.log(`  user${String(session).padEnd(3)} → ${hosts} (${counts.join(', ')})`);
  }
  printTable(outcomes, load);
  const counts = farm.hosts.map((running) => outcomes.filter((outcome) => outcome.host === running.host.name).length);
  const spread = Math.min(...counts) === 0 ? '∞' : (Math.max(...counts) / Math.min(...counts)).toFixed(2);
  console.log(`busiest / idlest host: ${spread} (round-robin, in part 1: 1.00)`);
}

function printTable(outcomes: Outcome[], load: LessonParts['load']): void {
  for (const line of load.hostWorkerTable(outcomes)) console.log(`  ${line}`);
  console.log(`  ${load.describeTally(load.tally(outcomes))}`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
