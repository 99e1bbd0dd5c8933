// Lesson 1, step 5: the inspector port of each worker.
import assert from 'node:assert/strict';
import { guardedTest } from '../../../testing/guard';
import { runProgram, describeOutput } from '../../../testing/program';
import { assertSameLines } from '../../../testing/lines';

const fixture = 'lessons/01-fork/test/fixtures/inspector-ports.ts';

/**
 * The test process's own options, minus any inspector option: Node 24 and
 * later start every test file with `--inspect-port=127.0.0.1:9229` among
 * them, and these tests choose the inspector options themselves.
 */
const optionsWithoutInspector = process.execArgv.filter((option) => !/--inspect|--debug-port/.test(option));

// 65534: the primary's port is near the top, so the second default port wraps around to 1024.
guardedTest('step 5: under --inspect-port, each worker gets an inspector port of its own', {}, async () => {
  const result = await runProgram(fixture, {
    execArgv: [...optionsWithoutInspector, '--inspect-port=65534'],
    env: { NODE_OPTIONS: '' },
  });
  assert.equal(result.code, 0, `the program failed${describeOutput(result)}`);
  const worker = (id: number, port: number) => `worker ${id} options --inspect-port=65534,--inspect-port=${port}`;
  assertSameLines(
    result,
    [
      worker(1, 65535), // the primary's port + 1
      worker(2, 1024), // + 2, past 65535: wrapped around to 1024
      worker(3, 47100), // inspectPort: 47100, for every worker
      worker(4, 47100),
      worker(5, 47200), // inspectPort: a function, asked at each fork
      worker(6, 47201),
      worker(7, 1025), // default again: the third default port
      'the inspectPort function was asked 2 times',
    ],
    'step 5: the inspector port of each worker (node:cluster adds --inspect-port=N to each worker\'s execArgv)',
  );
});

guardedTest('step 3: without an inspector option, workers get no inspector port (what step 5 must keep)', {}, async () => {
  const result = await runProgram(fixture, { execArgv: optionsWithoutInspector, env: { NODE_OPTIONS: '' } });
  assert.equal(result.code, 0, `the program failed${describeOutput(result)}`);
  const workers = [1, 2, 3, 4, 5, 6, 7].map((id) => `worker ${id} options none`);
  assertSameLines(
    result,
    [...workers, 'the inspectPort function was asked 0 times'],
    'step 3: without an inspector, node:cluster leaves execArgv alone and never asks the inspectPort function',
  );
});
