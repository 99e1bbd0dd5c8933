// The command line: defaults, --quick, and bad options (exit 2, a usage
// message, no stack trace).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { guardedTest } from '../../testing/guard';
import { repoRoot } from '../repo-root';
import { runProgram } from '../../testing/program';
import { DEFAULT_OURS, parseOptions, UsageError } from './options';

test('defaults: both worker counts, 5 rounds of 1 s, every cluster', { timeout: 5000 }, () => {
  const options = parseOptions([]);
  assert.deepEqual(
    { workers: options.workers, rounds: options.rounds, duration: options.duration, only: options.only },
    { workers: [2, 4], rounds: 5, duration: 1, only: ['single', 'node', 'ours', 'raw'] },
  );
  assert.equal(options.policies, null, 'every policy this Node has');
  assert.equal(options.breakdown, 'also');
  assert.equal(options.quick, false);
  assert.equal(options.publish, false);
});

test('--quick shortens the run; explicit options still win', { timeout: 5000 }, () => {
  const quick = parseOptions(['--quick']);
  assert.deepEqual([quick.rounds, quick.duration], [2, 0.5]);
  const mixed = parseOptions(['--quick', '--rounds', '3', '--duration=0.4', '--workers', '4,2', '--only', 'ours,node']);
  assert.deepEqual([mixed.rounds, mixed.duration, mixed.workers, mixed.only], [3, 0.4, [2, 4], ['node', 'ours']]);
  assert.equal(mixed.onlyGiven, true);
  assert.equal(mixed.ours, DEFAULT_OURS);
  assert.equal(parseOptions(['--ours', './lessons/06-measure/cluster/']).ours, 'lessons/06-measure/cluster');
  assert.deepEqual(parseOptions(['--policies', 'none,rr']).policies, ['rr', 'none']);
  assert.equal(parseOptions(['--breakdown-only']).breakdown, 'only');
  assert.equal(parseOptions(['--no-breakdown']).breakdown, 'no');
});

test('"ours" defaults to the newest solution (lesson 6\'s, or a later one)', { timeout: 5000 }, () => {
  const solutions = path.join(repoRoot, 'solutions');
  const newest = fs.readdirSync(solutions).filter((name) => /^\d\d-/.test(name)).sort().at(-1);
  assert.equal(parseOptions([]).ours, `solutions/${newest}`);
  assert.ok(fs.existsSync(path.join(solutions, '..', DEFAULT_OURS, 'index.ts')), `${DEFAULT_OURS}/index.ts`);
  assert.ok(DEFAULT_OURS >= 'solutions/06-measure', DEFAULT_OURS);
});

test('bad options are UsageErrors that say what is wrong', { timeout: 5000 }, () => {
  const cases: Array<[string[], RegExp]> = [
    [['--bogus'], /unknown option --bogus/i],
    [['extra'], /unexpected argument "extra"/],
    [['--workers'], /--workers needs a value/],
    [['--workers', '0'], /--workers wants whole numbers from 1 to 16/],
    [['--workers', '2,x'], /not "x"/],
    [['--workers', '2,2'], /twice/],
    [['--rounds', '1.5'], /--rounds wants whole numbers/],
    [['--duration', 'abc'], /--duration wants seconds/],
    [['--duration', '0.01'], /--duration wants seconds/],
    [['--only', 'pm2'], /--only takes some of single,node,ours,raw/],
    [['--policies', 'random'], /--policies takes some of rr,none,reuseport/],
    [['--breakdown-only', '--no-breakdown'], /contradict/],
    [['--quick', '--quick'], /given twice/],
    [['--quick=yes'], /takes no value/],
    [['--quick', '--publish'], /--publish wants a full run/],
    [['--ours', '/etc'], /--ours wants a folder inside the repository/],
    [['--ours', '../elsewhere'], /--ours wants a folder inside the repository/],
  ];
  for (const [argv, message] of cases) {
    assert.throws(() => parseOptions(argv), (error: unknown) => error instanceof UsageError && message.test(error.message), argv.join(' '));
  }
});

guardedTest('npm run bench -- --bogus: exit 2, the usage, no stack trace', { timeout: 15_000 }, async () => {
  const result = await runProgram('scripts/bench.ts', { args: ['--workers', 'many'] });
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /^bench: --workers wants whole numbers from 1 to 16, not "many"/);
  assert.match(result.stderr, /Usage: npm run bench/);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
});
