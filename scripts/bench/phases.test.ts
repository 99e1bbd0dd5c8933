// The breakdown's reading of a CPU profile: which phase a stack belongs to,
// and the share of samples inside the measured windows, on made-up profiles.
import assert from 'node:assert/strict';
import test from 'node:test';
import { phaseOfStack, phaseSamples, type CallFrame, type CpuProfile } from './phases';

const frame = (functionName: string, url = ''): CallFrame => ({ functionName, url });
const ours = (file: string) => `file:///repo/solutions/06-measure/${file}`;

test('a stack belongs to the phase of its innermost frame that says one', { timeout: 5000 }, () => {
  // innermost first, as phaseOfStack reads them
  const cases: Array<[CallFrame[], string]> = [
    [[frame('stringify'), frame('writeChannelMessage', 'node:internal/child_process/serialization'), frame('target._send', 'node:internal/child_process'), frame('handOff', ours('round-robin-handle.ts'))], 'offer'],
    [[frame('ReadableState', 'node:internal/streams/readable'), frame('Duplex', 'node:internal/streams/duplex'), frame('Socket', 'node:net'), frame('onconnection', 'node:net')], 'accept'],
    [[frame('close'), frame('closeSocketHandle', 'node:net'), frame('Socket._destroy', 'node:net')], 'close'],
    [[frame('close'), frame('', 'node:internal/cluster/round_robin_handle')], 'close'],
    [[frame('get'), frame('RoundRobinHandle.handoff', 'node:internal/cluster/round_robin_handle')], 'choose'],
    [[frame('parse'), frame('parseChannelMessages', 'node:internal/child_process/serialization'), frame('channel.onread', 'node:internal/child_process')], 'answer'],
    [[frame('emit', 'node:events'), frame('emitUnlessInternal', ours('protocol.ts'))], 'answer'],
    [[frame('stringify'), frame('count', 'file:///repo/scripts/bench/probe.ts'), frame('target._send', 'node:internal/child_process')], 'probe'],
    [[frame('(garbage collector)')], 'gc'],
    [[frame('(program)')], 'native'],
    [[frame('(idle)')], 'idle'],
    [[frame('listOnTimeout', 'node:internal/timers'), frame('(root)')], 'other'],
  ];
  for (const [stack, phase] of cases) assert.equal(phaseOfStack(stack), phase, stack.map((f) => f.functionName).join(' < '));
});

test('only samples inside the windows count; idle and probe samples apart', { timeout: 5000 }, () => {
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 3, 4] },
      { id: 2, callFrame: frame('(idle)') },
      { id: 3, callFrame: frame('onconnection', 'node:net') },
      { id: 4, callFrame: frame('count', 'file:///repo/scripts/bench/probe.ts') },
    ],
    startTime: 1000,
    endTime: 2000,
    // at 1100, 1200, ... 1600
    samples: [3, 3, 2, 3, 4, 3],
    timeDeltas: [100, 100, 100, 100, 100, 100],
  };
  const counted = phaseSamples(profile, [[1150, 1450]]); // 1200, 1300, 1400
  assert.equal(counted.samples.accept, 2);
  assert.equal(counted.idle, 1);
  assert.equal(counted.probe, 0);
  const all = phaseSamples(profile, [[0, 5000]]);
  assert.deepEqual([all.samples.accept, all.idle, all.probe], [4, 1, 1]);
});
