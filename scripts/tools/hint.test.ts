// Hints: the levels advance one per request and can be forgotten, level 3 shows
// one step's regions only, and the runner's hint line names the right step.
// The level file is a temporary one; the CLI runs use lesson 1's steps, and
// check only the shape of what they print, not the lesson's words.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { promisify } from 'node:util';
import { repoRoot, TYPESCRIPT_LOADER } from '../course';
import type { StepRegion } from '../steps/markers';
import { hintLine, stepOfFailure } from './hint-line';
import { forgetLevels, levelReached, recordLevel } from './hint-levels';
import { fixtureLesson, STEPS } from './fixture-lesson';
import { nextHint } from './hint-text';
import { formatRegion } from './reference-code';

const run = promisify(execFile);

function temporaryLevelFile(t: test.TestContext): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'hint-levels-'));
  t.after(() => fs.rmSync(folder, { recursive: true, force: true }));
  return path.join(folder, 'hints.json');
}

test('levels are kept per step, never lowered, and forgotten per step or per lesson', (t) => {
  const file = temporaryLevelFile(t);
  assert.equal(levelReached(file, 4, 3), 0);
  recordLevel(file, 4, 3, 1);
  recordLevel(file, 4, 3, 2);
  recordLevel(file, 4, 3, 1);
  recordLevel(file, 4, 2, 3);
  recordLevel(file, 5, 1, 1);
  assert.equal(levelReached(file, 4, 3), 2);
  assert.equal(forgetLevels(file, 4, 3), 1);
  assert.equal(levelReached(file, 4, 3), 0);
  assert.equal(levelReached(file, 4, 2), 3);
  assert.equal(forgetLevels(file, 4), 1);
  assert.equal(levelReached(file, 4, 2), 0);
  assert.equal(levelReached(file, 5, 1), 1, 'another lesson keeps its levels');
});

test('a level file edited into nonsense starts again instead of stopping', (t) => {
  const file = temporaryLevelFile(t);
  fs.writeFileSync(file, '{ not json');
  assert.equal(levelReached(file, 1, 1), 0);
  recordLevel(file, 1, 1, 1);
  assert.equal(levelReached(file, 1, 1), 1);
});

test('one level more each time, the last one stays, --reset starts over, --all shows all', (t) => {
  const lesson = fixtureLesson(t);
  const file = temporaryLevelFile(t);
  const levelsShown = (output: string) => [...output.matchAll(/── hint (\d) of 3/g)].map((match) => Number(match[1]));
  assert.match(nextHint(lesson, STEPS[1], file), /── hint 1 of 3: idea ──\nThe idea of step 2\.[^]*Ask again for level 2/);
  assert.match(nextHint(lesson, STEPS[1], file), /── hint 2 of 3: where to look ──\nWhere to look for step 2\./);
  const third = nextHint(lesson, STEPS[1], file);
  assert.deepEqual(levelsShown(third), [3]);
  assert.match(third, /04-fixture\/worker\.ts:12-13 \(leave\)\n  12 │ this\.leaving = true;\n  13 │ this\.process\.disconnect\(\);\n/);
  assert.doesNotMatch(third, /connected|#step/, 'only step 2\'s code, without its markers');
  assert.match(third, /last level[^]*npm run hint 4 2 -- --reset/);
  assert.deepEqual(levelsShown(nextHint(lesson, STEPS[1], file)), [3]);
  assert.deepEqual(levelsShown(nextHint(lesson, STEPS[0], file)), [1], 'each step has its own level');
  forgetLevels(file, 4, 2);
  assert.deepEqual(levelsShown(nextHint(lesson, STEPS[1], file)), [1]);
  assert.deepEqual(levelsShown(nextHint(lesson, STEPS[0], file, { all: true })), [1, 2, 3]);
  assert.equal(levelReached(file, 4, 1), 3);
});

test('npm run hint 1 1 -- --all, then --reset: the levels of a real lesson, kept in the file it is given', async (t) => {
  const file = temporaryLevelFile(t);
  const env = { ...process.env, CLUSTER_HINTS_FILE: file, NO_COLOR: '1' };
  const hint = async (...args: string[]) => (await run(process.execPath, [...TYPESCRIPT_LOADER, 'scripts/hint.ts', ...args], { cwd: repoRoot, env })).stdout;
  const all = await hint('1', '1', '--all');
  assert.deepEqual([...all.matchAll(/── hint (\d) of 3/g)].map((match) => Number(match[1])), [1, 2, 3]);
  assert.match(all, /^solutions\/01-fork\/\S+\.ts:\d+/m, 'level 3 names the file and line of the reference');
  assert.equal(levelReached(file, 1, 1), 3);
  assert.match(await hint('1', '1', '--reset'), /Forgot/);
  assert.equal(levelReached(file, 1, 1), 0);
});

test('level 3 shows the body of a region with its file and line numbers, indented as in a function', () => {
  const region: StepRegion = {
    lesson: 4, step: 2, name: 'leave', file: 'worker.ts', startLine: 9, endLine: 13, indent: '    ',
    body: ['    if (this.isDead()) return;', '    // #region docs', '    this.leaving = true;', '    // #endregion docs'],
  };
  assert.equal(
    formatRegion(region, 'solutions/04-x', false),
    ['solutions/04-x/worker.ts:11-13 (leave)', '  11 │ if (this.isDead()) return;', '  13 │ this.leaving = true;'].join('\n'),
  );
});

test("the runner's hint line: the stub a failure ran into, else the step the test is named for", () => {
  const todo = 'TODO lesson 4, step 1: whether the channel is open (read …; a hint: npm run hint 4 1)';
  assert.equal(hintLine(4, { name: 'step 3: kill() inside the worker', message: todo }), '→ a hint for step 1: npm run hint 4 1');
  assert.equal(hintLine(4, { name: 'step 2-4: the demo', message: 'expected 4 lines' }), '→ a hint for step 4: npm run hint 4 4');
  assert.equal(hintLine(5, { name: 'step 1: x', message: 'TODO lesson 4, step 6: y' }), '→ a hint for lesson 4, step 6: npm run hint 4 6');
  assert.equal(hintLine(4, { name: 'regression (lesson 3): exit events', message: 'boom' }), undefined);
  assert.deepEqual(stepOfFailure(2, { name: 'step 3: z' }), { lesson: 2, step: 3 });
});
