// `npm run try`: a program written for node:cluster runs unchanged on the
// newest solution and on node:cluster, as CommonJS and as an ES module; bad
// input gets a message and exit status 2; a program's failure is passed on.
import assert from 'node:assert/strict';
import path from 'node:path';
import test from 'node:test';
import { guardedTest } from '../../testing/guard';
import { repoRoot } from '../course';
import { runScript, type CollectedOutput } from '../tools/collect-output';
import { chooseTarget } from './launch';

/** Generous: a loaded machine can take seconds to start a primary and two workers. */
const TIMEOUT_MS = 60_000;

function runTry(args: string[]): Promise<CollectedOutput> {
  return runScript('scripts/try.ts', args, { env: { ...process.env, INIT_CWD: repoRoot }, timeout: TIMEOUT_MS, killSignal: 'SIGTERM' });
}

const examples = path.join('scripts', 'try', 'examples');
const EXPECTED_LINES = [
  'primary: isPrimary true',
  'primary: worker answered hello from worker 1',
  'primary: worker answered hello from worker 2',
  'primary: all workers gone',
];

const newest = chooseTarget({ kind: 'solution' });
const runs: Array<[program: string, flags: string[], firstLine: string]> = [
  ['hello.cjs', [], `▶ try ${path.join(examples, 'hello.cjs')} on ${newest.description}`],
  ['hello.mjs', [], `▶ try ${path.join(examples, 'hello.mjs')} on ${newest.description}`],
  ['hello.cjs', ['--node'], `▶ try ${path.join(examples, 'hello.cjs')} on real node:cluster (Node ${process.version})`],
  ['hello.mjs', ['--node'], `▶ try ${path.join(examples, 'hello.mjs')} on real node:cluster (Node ${process.version})`],
];

for (const [program, flags, firstLine] of runs) {
  // guardedTest: it also fails if a process of the run (a worker) is left behind.
  guardedTest(`try ${program} ${flags.join(' ') || '(newest solution)'}: runs unchanged, first line names the cluster`, { timeout: TIMEOUT_MS + 5000 }, async () => {
    const result = await runTry([path.join(examples, program), ...flags]);
    assert.equal(result.code, 0, `exit status\n${result.stdout}\n${result.stderr}`);
    const [first, ...rest] = result.stdout.trimEnd().split('\n');
    assert.equal(first, firstLine);
    // Two workers answer in either order: the set of lines, then the one order that must hold.
    assert.deepEqual([...rest].sort(), [...EXPECTED_LINES].sort(), result.stdout);
    assert.equal(rest.at(-1), 'primary: all workers gone');
  });
}

test('try: --solution N picks that lesson, and the newest solution is the default', () => {
  assert.equal(chooseTarget({ kind: 'solution', lesson: 3 }).clusterTarget, path.join('solutions', '03-events'));
  assert.match(newest.clusterTarget, /^solutions[/\\]\d\d-/);
  assert.throws(() => chooseTarget({ kind: 'solution', lesson: 99 }), /There is no solution for lesson 99: there are 1, 2/);
});

guardedTest('try: a program that throws ends with its own exit code and one line saying so', { timeout: TIMEOUT_MS + 5000 }, async () => {
  const result = await runTry([path.join(examples, 'throws.cjs')]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /this program throws on purpose/, 'the program\'s own error is shown');
  assert.match(result.stderr, /✖ \S+throws\.cjs ended with exit code 1 \(on the reference solution/);
  assert.doesNotMatch(result.stderr, /at .*scripts[/\\]try[/\\](launch|preload)/, 'no stack trace of ours');
});

guardedTest('try: the program\'s arguments come after --, and its exit code is passed on as it is', { timeout: TIMEOUT_MS + 5000 }, async () => {
  const result = await runTry([path.join(examples, 'exit-with.cjs'), '--node', '--', '7']);
  assert.equal(result.code, 7, result.stderr);
  assert.match(result.stderr, /✖ \S+exit-with\.cjs ended with exit code 7 \(on real node:cluster/);
});

guardedTest('try: --mine runs on your code, and says so first', { timeout: TIMEOUT_MS + 5000 }, async () => {
  const mine = chooseTarget({ kind: 'mine' });
  const result = await runTry([path.join(examples, 'hello.cjs'), '--mine']);
  // Your code may not be finished: whatever it does, the first line says which cluster ran.
  assert.equal(result.stdout.split('\n')[0], `▶ try ${path.join(examples, 'hello.cjs')} on ${mine.description}`);
  assert.match(mine.clusterTarget, /^lessons[/\\]\d\d-[^/\\]+[/\\]cluster$/);
});

const badInput: Array<[args: string[], says: RegExp]> = [
  [[], /Which program\? Give the file to run\./],
  [['no-such-program.js'], /There is no file no-such-program\.js/],
  [['scripts'], /scripts is not a file/],
  [[path.join(examples, 'hello.cjs'), '--solution', '99'], /There is no solution for lesson 99/],
  [[path.join(examples, 'hello.cjs'), '--node', '--mine'], /Choose one of --mine, --solution N and --node/],
  [[path.join(examples, 'hello.cjs'), '--fast'], /Unknown option --fast/],
];

test('try: bad input gets a message, the usage and exit status 2, and nothing runs', { timeout: TIMEOUT_MS + 5000 }, async () => {
  const results = await Promise.all(badInput.map(([args]) => runTry(args)));
  badInput.forEach(([args, says], index) => {
    const { code, stdout, stderr } = results[index];
    const command = `npm run try -- ${args.join(' ')}`;
    assert.equal(code, 2, `${command}: exit status\n${stderr}`);
    assert.match(stderr, says, command);
    assert.match(stderr, /^usage: npm run try -- <program>/m, `${command}: says what is accepted`);
    assert.doesNotMatch(stderr, /\n\s+at .+:\d+:\d+/, `${command}: no stack trace`);
    assert.equal(stdout, '', `${command}: ran nothing`);
  });
});
