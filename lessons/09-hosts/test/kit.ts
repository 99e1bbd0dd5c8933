// What lesson 9's tests share: when they can run, and a farm (hosts + nginx)
// that is always torn down, with a check that it left nothing behind.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Farm, FarmOptions } from '../../../solutions/09-hosts/farm';
import type { BalancerOptions } from '../../../solutions/09-hosts/nginx-config';
import type { Outcome } from '../../../solutions/09-hosts/load';
import { loadParts, type LessonParts } from '../parts';

/** Under CI=true nothing is skipped: a missing nginx or namespace support is a failure. */
const CI = process.env.CI === 'true';

function nginxInstalled(): boolean {
  if (process.env.NGINX) return fs.existsSync(process.env.NGINX);
  const folders = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin'];
  return folders.some((folder) => fs.existsSync(path.join(folder, 'nginx')));
}

/** The reason to skip a test that needs nginx, or false when it can run (or must: CI). */
export function needsNginx(): string | false {
  if (CI || nginxInstalled()) return false;
  return process.env.NGINX
    ? `NGINX=${process.env.NGINX} does not exist`
    : 'nginx is not installed (sudo apt-get install -y --no-install-recommends nginx); lesson 9 runs it as an ordinary process';
}

/** The reason to skip a test that needs network namespaces (a link to pull), or false. */
export function needsNamespaces(): string | false {
  const nginx = needsNginx();
  if (nginx) return nginx;
  if (CI) return false;
  if (process.env.LESSON9_NETWORK === 'loopback') return 'LESSON9_NETWORK=loopback: hosts on loopback addresses have no link to take down';
  if (process.platform !== 'linux') return 'network namespaces are Linux only';
  if (process.getuid?.() !== 0) return 'making network namespaces needs root: hosts on loopback addresses have no link to take down';
  return false;
}

/** Starts a farm, runs `body` on it, and always closes it; then checks that no namespace or link is left. */
export async function withFarm(options: FarmOptions, body: (farm: Farm, parts: LessonParts) => Promise<void>): Promise<void> {
  const parts = loadParts();
  if (CI) {
    const why = parts.hosts.whyNoNamespaces();
    assert.equal(why, undefined, `lesson 9 under CI=true needs network namespaces: ${why}`);
  }
  const farm = await parts.farm.Farm.start(options);
  let failure: unknown;
  try {
    await body(farm, parts);
  } catch (error) {
    failure = error;
  }
  await farm.close();
  let left = parts.hosts.leftoversOf(farm.network);
  // The kernel removes a namespace's interfaces a moment after the namespace.
  for (let waited = 0; left.length > 0 && waited < 5000; waited += 100) {
    await sleep(100);
    left = parts.hosts.leftoversOf(farm.network);
  }
  if (failure !== undefined) throw failure;
  assert.deepEqual(left, [], 'lesson 9: closing the farm should remove every namespace and link it made');
}

/** How many answers each host gave. */
export function perHost(outcomes: Outcome[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) if (outcome.host) counts.set(outcome.host, (counts.get(outcome.host) ?? 0) + 1);
  return counts;
}

/** For failure messages: the table, the figures, the failures. */
export function describeRun(parts: LessonParts, outcomes: Outcome[]): string {
  const { hostWorkerTable, describeTally, tally, describeFailures } = parts.load;
  return `\n${hostWorkerTable(outcomes).join('\n')}\n${describeTally(tally(outcomes))} (failures: ${describeFailures(outcomes)})`;
}

/**
 * Before a farm is started (seconds): the configuration with the step's option
 * on must differ from the one with it off. If it does not, the step is not
 * done, and the test says so at once.
 */
export function assertTheStepChangesTheConfiguration(
  parts: LessonParts,
  on: { options?: Partial<BalancerOptions>; drained?: boolean },
  off: { options?: Partial<BalancerOptions>; drained?: boolean },
  message: string,
): void {
  const { nginxConfig, DEFAULT_BALANCER } = parts.config;
  const write = ({ options = {}, drained = false }: { options?: Partial<BalancerOptions>; drained?: boolean }) =>
    nginxConfig({
      prefix: '/tmp/nginx-prefix',
      port: 8000,
      members: [1, 2, 3].map((index) => ({ name: `host${index}`, address: `10.200.0.${index + 1}`, port: 8080, drained: drained && index === 2 })),
      options: { ...DEFAULT_BALANCER, ...options },
    });
  assert.notEqual(write(on), write(off), message);
}
