// The demo, stopped with Ctrl-C (SIGINT) once it has printed its first
// table: it must leave no process (the guard checks), no namespace and no link.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { guardedTest } from '../../../testing/guard';
import { describeOutput, startProgram } from '../../../testing/program';
import { needsNginx } from './kit';

/** Our names with this run id, in `ip netns list` and `ip link`. */
function namesOfRun(id: string): string[] {
  if (process.platform !== 'linux' || spawnSync('ip', ['-V']).error) return [];
  const listed = `${spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout}\n${spawnSync('ip', ['-o', 'link'], { encoding: 'utf8' }).stdout}`;
  return listed.match(new RegExp(`\\bcfs9(?:-${id}-host\\d+|b${id}|v${id}h\\d+)\\b`, 'g')) ?? [];
}

guardedTest(
  'step 1: the demo prints its host × worker table; Ctrl-C then leaves no host, nginx, namespace or link behind',
  { timeout: 120_000, skip: needsNginx() },
  async () => {
    const demo = startProgram('lessons/09-hosts/demo.ts', { env: { HOSTS: '2', WORKERS: '1' } });
    try {
      await demo.waitForLine(/^ {2}host2( +\d+)+$/);
    } catch (error) {
      demo.child.kill('SIGKILL');
      throw new Error(`step 1: the demo should print a host × worker table${describeOutput(await demo.finished)}`, { cause: error });
    }
    const bridge = /on bridge cfs9b(\d+)/.exec(demo.lines.join('\n'));
    demo.child.kill('SIGINT');
    const result = await demo.finished;
    assert.equal(result.code, 130, `step 1: Ctrl-C should stop the demo (exit code 130)${describeOutput(result)}`);
    if (bridge) {
      let left = namesOfRun(bridge[1]);
      for (let waited = 0; left.length > 0 && waited < 5000; waited += 100) {
        await sleep(100);
        left = namesOfRun(bridge[1]);
      }
      assert.deepEqual(left, [], `step 1: after Ctrl-C no namespace or link of the demo should be left${describeOutput(result)}`);
    }
  },
);
