// Bad input to any of the four tools: one clear message with what is
// accepted, exit status 2, no stack trace, and nothing done (nothing printed
// on stdout, where a tool says what it does; no hint level recorded).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { runScript } from './collect-output';

const runTool = (tool: string, args: string[], env: NodeJS.ProcessEnv) => runScript(`scripts/${tool}.ts`, args, { env, timeout: 20_000 });

// The list, one unknown flag, and one flag pair that contradicts itself.
const cases: Array<[tool: string, args: string[], says: RegExp]> = [
  ['hint', ['0'], /There is no lesson "0"/],
  ['hint', ['1', '99'], /Lesson 1 has no step "99": its steps are 1 to \d+/],
  ['hint', ['1', '1', '--all', '--reset'], /--all and --reset do not go together/],
  ['watch', ['abc'], /There is no lesson "abc"/],
  ['reset', [], /Which lesson\?/],
  ['progress', ['--verbose'], /Unknown option --verbose/],
];

test('bad input: a message saying what is accepted, exit status 2, nothing done', async (t) => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-input-'));
  t.after(() => fs.rmSync(folder, { recursive: true, force: true }));
  const levelFile = path.join(folder, 'hints.json');
  const env = { ...process.env, CLUSTER_HINTS_FILE: levelFile, NO_COLOR: '1' };
  // All at once: each is a short-lived process, and starting TypeScript is most of its time.
  const results = await Promise.all(cases.map(([tool, args]) => runTool(tool, args, env)));
  cases.forEach(([tool, args, says], index) => {
    const { code, stdout, stderr } = results[index];
    const command = `npm run ${tool} ${args.join(' ')}`;
    assert.equal(code, 2, `${command}: exit status\n${stderr}`);
    assert.match(stderr, says, command);
    assert.match(stderr, new RegExp(`^usage: npm run ${tool} `, 'm'), `${command}: says what is accepted`);
    assert.match(stderr, /^lessons:\n\s+1 {2}\S/m, `${command}: lists the lessons`);
    assert.doesNotMatch(stderr, /\n\s+at .+:\d+:\d+/, `${command}: no stack trace`);
    assert.equal(stdout, '', `${command}: did nothing`);
  });
  assert.equal(fs.existsSync(levelFile), false, 'no hint level was recorded');
});
