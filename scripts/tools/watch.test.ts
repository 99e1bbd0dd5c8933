// watch: a run at start, one more per burst of saves, a stale run stopped for
// the fresh one; and `npm run watch`, stopped with Ctrl-C, leaves no process
// behind (the process guard finds every process it started, wherever it went).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { guardedTest } from '../../testing/guard';
import { repoRoot, TYPESCRIPT_LOADER } from '../course';
import type { TestRun } from '../lesson-tests';
import { summarizeRun } from './run-summary';
import { isLearnerFile, watchLoop, type Run } from './watch-loop';

/** Runs that end when the test says so, and remember whether they were stopped. */
function fakeRuns() {
  const runs: Array<{ finish(result: string): void; stopped: boolean }> = [];
  const start = (): Run<string> => {
    let finish!: (result: string | undefined) => void;
    const result = new Promise<string | undefined>((resolve) => (finish = resolve));
    const run = { finish: (value: string) => finish(value), stopped: false };
    runs.push(run);
    return {
      result,
      stop: async () => {
        run.stopped = true;
        finish(undefined);
      },
    };
  };
  return { runs, start };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 5000) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

test('a run at start, one per burst of saves; a run still going when a save comes is stopped for a fresh one', async (t) => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'watch-loop-'));
  t.after(() => fs.rmSync(folder, { recursive: true, force: true }));
  fs.writeFileSync(path.join(folder, 'worker.ts'), '// 1');
  const { runs, start } = fakeRuns();
  const results: string[] = [];
  const reasons: string[] = [];
  const loop = watchLoop({ folder, start, onStart: (reason) => reasons.push(reason), onResult: (result) => results.push(result), debounceMs: 50 });
  try {
    await until(() => runs.length === 1, 'the first run');
    runs[0].finish('first');
    await until(() => results.length === 1, 'its result');

    // Three saves in a row: one run.
    for (const text of ['// 2', '// 3', '// 4']) fs.writeFileSync(path.join(folder, 'worker.ts'), text);
    await until(() => runs.length === 2, 'a run after the saves');
    await sleep(150);
    assert.equal(runs.length, 2, 'one run for a burst of saves');
    assert.deepEqual(reasons, ['start', 'worker.ts saved']);

    // A save while that run is going: it is stopped, its result never shown, and a fresh run starts.
    fs.writeFileSync(path.join(folder, 'primary.ts'), '// new');
    await until(() => runs.length === 3, 'a fresh run');
    assert.equal(runs[1].stopped, true);
    runs[2].finish('third');
    await until(() => results.length === 2, 'the fresh result');
    assert.deepEqual(results, ['first', 'third']);

    // An editor's swap file is not a save.
    fs.writeFileSync(path.join(folder, '.worker.ts.swp'), 'x');
    await sleep(150);
    assert.equal(runs.length, 3);
  } finally {
    await loop.close();
  }
  assert.equal(runs[2].stopped, true, 'closing stops (or waits out) the last run');
});

test("editors' temporary files are not the learner's saves", () => {
  for (const name of ['worker.ts', 'primary.ts', 'notes.md']) assert.equal(isLearnerFile(name), true, name);
  for (const name of ['.worker.ts.swp', 'worker.ts~', '4913', 'worker.ts.1234.tmp', '.#worker.ts']) assert.equal(isLearnerFile(name), false, name);
});

test('what watch shows: the first failing step, its message without the stack, the hint; or a green line', () => {
  const lesson = { number: 99, slug: '99-x', title: 'X', lessonDir: 'lessons/99-x', solutionDir: 'solutions/99-x' };
  const thrown = [
    'worker 2 failed:',
    '/repo/lessons/todo.ts:8',
    '  throw new Error(',
    '  ^',
    '',
    '',
    'Error: TODO lesson 99, step 2: what node does here',
    '    at todo (/repo/lessons/todo.ts:8:9)',
    '    at new WorkerCluster (/repo/lessons/99-x/cluster/child.ts:18:5)',
    '',
    'Node.js v20.20.2',
  ].join('\n');
  const run = (outcomes: TestRun['outcomes'], exitCode: number): TestRun => ({
    lesson, target: { kind: 'mine', clusterTarget: 'lessons/99-x/cluster', description: 'your code' }, outcomes, exitCode, output: '', seconds: 1,
  });
  const failing = run(
    [
      { name: 'step 1: a', outcome: 'passed' },
      { name: 'step 3: c', outcome: 'failed', message: 'later' },
      { name: 'step 2-3: b', outcome: 'failed', message: 'earlier' },
      { name: 'step 2: d', outcome: 'failed', message: thrown },
      { name: 'step 2: e', outcome: 'failed', message: 'x' },
    ],
    1,
  );
  assert.equal(
    summarizeRun(failing, 3, false),
    ['✖ lesson 99, step 2: d (and 1 more test of this step)', '  worker 2 failed:', '', '  Error: TODO lesson 99, step 2: what node does here', '→ a hint for step 2: npm run hint 99 2'].join('\n'),
  );
  const passing = run([{ name: 'step 1: a', outcome: 'passed' }, { name: 'step 2: b', outcome: 'passed' }], 0);
  assert.equal(summarizeRun(passing, 2, false), '✔ lesson 99: all 2 tests pass on your code. That was the last lesson: see how far you are with npm run progress.');
});

/** node:test marks the processes of a test file; a test run started from one would be skipped as recursive. */
function outsideTheTestRunner(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.NODE_TEST_CONTEXT;
  return copy;
}

guardedTest('npm run watch 1: the first result, a save, then Ctrl-C ends it and every process it started', { timeout: 40_000 }, async () => {
  // Its own process group, as a terminal gives it; Ctrl-C is SIGINT to that group.
  const watch = spawn(process.execPath, [...TYPESCRIPT_LOADER, 'scripts/watch.ts', '1'], {
    cwd: repoRoot,
    detached: true,
    env: outsideTheTestRunner({ ...process.env, NO_COLOR: '1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  watch.stdout.on('data', (chunk) => (output += chunk));
  watch.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => watch.on('exit', (code) => resolve(code)));
  const waitFor = async (pattern: RegExp, what: string) => {
    for (let waited = 0; !pattern.test(output); waited += 50) {
      if (waited > 30_000) throw new Error(`timed out waiting for ${what}; it printed:\n${output}`);
      await sleep(50);
    }
  };
  try {
    await waitFor(/^(✖|✔) lesson 1\b/m, 'the first result');
    assert.match(output, /^(→ a hint for step \d+: npm run hint 1 \d+|✔ lesson 1: all \d+ tests pass on your code\. Next: lesson 2)/m);
    // A save: only the file's times change, so the learner's code is untouched.
    const saved = path.join(repoRoot, 'lessons', '01-fork', 'cluster', 'index.ts');
    const now = new Date();
    fs.utimesSync(saved, now, now);
    await waitFor(/index\.ts saved: running lesson 1's tests/, 'the run after the save');
    await sleep(500); // the run's test processes are starting: Ctrl-C must end them too
  } finally {
    process.kill(-watch.pid!, 'SIGINT');
  }
  assert.equal(await exited, 0, output);
  assert.match(output, /Stopped watching\.\n$/);
});
