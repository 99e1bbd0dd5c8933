// reset: one step's stubs go back into the learner's file and nowhere else; a
// missing marker stops it with nothing changed; the learner's version is kept
// in the backup folder before anything is written.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { repoRoot } from '../course';
import { starterFolderOf } from '../steps/starter';
import { fixtureLesson, LEARNER_WORKER, STEPS } from './fixture-lesson';
import { replaceFiles } from './replace-files';
import { planStepReset, stubsBackInText } from './step-stubs';

const read = (file: string) => fs.readFileSync(path.join(repoRoot, file), 'utf8');

test("step 2's stub goes back in its region only; step 1's code and everything else stay", () => {
  const result = stubsBackInText(LEARNER_WORKER, 'worker.ts', STEPS[1], ['leave'], 'lessons/04-x/cluster');
  assert.deepEqual(result.problems, []);
  assert.deepEqual(result.replaced.map((region) => region.name), ['leave']);
  assert.equal(
    result.text,
    LEARNER_WORKER.replace("    this.leaving = true; // mine\n    this.process.disconnect();\n", "    todo(4, 2, 'the worker leaves');\n"),
  );
  const again = stubsBackInText(result.text, 'worker.ts', STEPS[1], ['leave'], 'lessons/04-x/cluster');
  assert.equal(again.replaced.length, 0, 'a step that is all stubs already changes nothing');
});

test('a learner who removed the import of todo() gets it back with the stub', () => {
  const withoutImport = LEARNER_WORKER.replace("import { todo } from '../../todo';\n", '');
  const { text } = stubsBackInText(withoutImport, 'worker.ts', STEPS[1], ['leave'], 'lessons/04-x/cluster');
  assert.match(text, /^import \{ EventEmitter \} from 'node:events';\nimport \{ todo \} from '\.\.\/\.\.\/todo';\n/);
});

test('a marker the learner removed: the problem is named and the text is left as it was', () => {
  const damaged = LEARNER_WORKER.replace('    // #step 4.2 leave\n', '');
  const result = stubsBackInText(damaged, 'worker.ts', STEPS[1], ['leave'], 'lessons/04-x/cluster');
  assert.equal(result.text, damaged);
  assert.equal(result.problems.length, 1);
  assert.match(result.problems[0], /worker\.ts:14: "#endstep 4\.2 leave" closes no matching/);
  const renamed = LEARNER_WORKER.replace(/4\.2 leave/g, '4.2 go');
  assert.match(stubsBackInText(renamed, 'worker.ts', STEPS[1], ['leave'], 'x').problems[0], /has no "\/\/ #step 4\.2 leave"/);
});

test("reset of a step: the learner's file is kept in the backup folder, then written with the stub", (t) => {
  const lesson = fixtureLesson(t);
  const file = path.join(starterFolderOf(lesson), 'worker.ts');
  const plan = planStepReset(lesson, STEPS[1]);
  assert.deepEqual(plan.problems, []);
  assert.deepEqual([...plan.changes.keys()], [file]);
  const backupFolder = path.join(path.dirname(path.dirname(lesson.lessonDir)), 'backup');
  const kept = replaceFiles(new Map([[file, plan.changes.get(file)!.text]]), backupFolder);
  assert.deepEqual(kept, [file]);
  assert.equal(read(path.join(backupFolder, file)), LEARNER_WORKER, 'the backup holds what the learner wrote');
  assert.match(read(file), /\/\/ #step 4\.2 leave\n    todo\(4, 2, 'the worker leaves'\);\n    \/\/ #endstep 4\.2 leave/);
  assert.match(read(file), /return Boolean\(this\.process\.connected\);/, "step 1's code is untouched");
  const leftovers = fs.readdirSync(path.join(repoRoot, path.dirname(file))).filter((name) => name !== 'worker.ts');
  assert.deepEqual(leftovers, [], 'no temporary file is left beside it');
});

test('reset of a step whose marker is missing in the learner\'s file changes nothing', (t) => {
  const lesson = fixtureLesson(t, LEARNER_WORKER.replace('    // #step 4.2 leave\n', '').replace('    // #endstep 4.2 leave\n', ''));
  const before = read(path.join(starterFolderOf(lesson), 'worker.ts'));
  const plan = planStepReset(lesson, STEPS[1]);
  assert.equal(plan.changes.size, 0);
  assert.match(plan.problems.join('\n'), /has no "\/\/ #step 4\.2 leave"/);
  assert.equal(read(path.join(starterFolderOf(lesson), 'worker.ts')), before);
});
