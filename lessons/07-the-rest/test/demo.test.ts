// The demo: two workers share a pipe and a UDP port; the socket file goes with the last worker.
import assert from 'node:assert/strict';
import { guardedTest } from '../../../testing/guard';
import { describeOutput, runProgram } from '../../../testing/program';
import { assertPrinted, TIMEOUT } from './helpers';

guardedTest('step 1-3: the demo: two workers answer over one pipe and one UDP port, and app.sock goes with the last of them', { timeout: TIMEOUT }, async () => {
  const result = await runProgram('lessons/07-the-rest/demo.ts', { env: { WORKERS: '2', PORT: '0' } });
  const what = "step 3 (with steps 1 and 2 done): in node:cluster both workers' listen('app.sock') and dgram bind() go through the primary, which shares the pipe and the UDP port";
  assert.equal(result.code, 0, `${what}: the demo should run to its end${describeOutput(result)}`);
  assertPrinted(result, ['worker1 listening: pipe app.sock', 'worker2 listening: pipe app.sock', 'every worker has left; app.sock is gone'], what);
  const udpPorts = new Set(result.lines.map((line) => /^worker\d listening: udp4 port (\d+)$/.exec(line)?.[1]).filter(Boolean));
  assert.equal(udpPorts.size, 1, `${what}: both workers should listen on one UDP port${describeOutput(result)}`);
  const overPipe = new Set(result.lines.filter((line) => line.startsWith('  GET / → ')));
  assert.deepEqual([...overPipe].sort(), ['  GET / → worker1', '  GET / → worker2'], `${what}: both workers should answer over the pipe${describeOutput(result)}`);
  const pings = result.lines.filter((line) => line.startsWith('  ping → '));
  assert.ok(pings.length === 6 && pings.every((line) => /worker[12]$/.test(line)), `${what}: every datagram should be answered${describeOutput(result)}`);
});
