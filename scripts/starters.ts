// `npm run starters`             writes every lesson's starter (lessons/NN-*/cluster/) from its solution
// `npm run starters -- 4`        only lesson 4's
// `npm run starters -- --check`  writes nothing: fails if a committed starter differs from what it would write
// `npm run starters -- 4 --upto 2`  a starter of lesson 4 with steps 1-2 done, in .test-results/steps/ (the per-step check)
//
// A starter is solution N with the bodies of lesson N's steps replaced by the
// stubs of lessons/NN-*/steps.md (see scripts/steps/starter.ts). A file it
// replaces is first copied into .backup/, so no work is lost.
import fs from 'node:fs';
import path from 'node:path';
import { exitWithUsage, findLesson, lessonMenu, listLessons, repoRoot, type Lesson } from './course';
import { backUp, newBackupFolder, writeWhole } from './steps/backup';
import { MarkerError } from './steps/markers';
import { PlanError } from './steps/plan';
import { makeStarter, problemsWithSteps, starterFolderOf, UPTO_ROOT, writeStarterUpTo } from './steps/starter';
import { commandLineOrExit } from './tools/command-line';

const USAGE = `usage: npm run starters [-- <lesson>...] [--check]

  (no lesson)   every lesson
  --check       change nothing; exit 1 if a starter differs from what its solution and steps.md make
  --upto K      with one lesson: write its starter with steps 1..K done into ${UPTO_ROOT}/, print the folder
                (run the tests on it with CLUSTER_TARGET=<folder>)

lessons:
${lessonMenu()}`;

interface Difference {
  file: string;
  kind: 'changed' | 'new' | 'extra';
}

/** The files of a lesson's starter that differ from what would be made. */
function differences(lesson: Lesson, made: Map<string, string>): Difference[] {
  const folder = starterFolderOf(lesson);
  const found: Difference[] = [];
  for (const [name, text] of made) {
    const file = path.join(folder, name);
    const absolute = path.join(repoRoot, file);
    if (!fs.existsSync(absolute)) found.push({ file, kind: 'new' });
    else if (fs.readFileSync(absolute, 'utf8') !== text) found.push({ file, kind: 'changed' });
  }
  const absoluteFolder = path.join(repoRoot, folder);
  const present = fs.existsSync(absoluteFolder) ? fs.readdirSync(absoluteFolder) : [];
  for (const name of present) if (!made.has(name)) found.push({ file: path.join(folder, name), kind: 'extra' });
  return found;
}

function main(): void {
  const parsed = commandLineOrExit(process.argv.slice(2), { check: { type: 'boolean' }, upto: { type: 'string', needs: 'a step number' } }, USAGE);
  const lessons = parsed.positionals.length
    ? parsed.positionals.map((word) => findLesson(word) ?? exitWithUsage(`There is no lesson ${JSON.stringify(word)}.`, USAGE))
    : listLessons();
  if (parsed.values.upto !== undefined) {
    const filledUpTo = Number(parsed.values.upto);
    if (lessons.length !== 1 || parsed.values.check) exitWithUsage('--upto goes with exactly one lesson, and not with --check.', USAGE);
    if (!Number.isInteger(filledUpTo) || filledUpTo < 0) exitWithUsage(`--upto takes a step number, not ${JSON.stringify(parsed.values.upto)}.`, USAGE);
    console.log(writeStarterUpTo(lessons[0], filledUpTo));
    return;
  }
  let backupFolder: string | undefined;
  let stale = 0;
  for (const lesson of lessons) {
    const problems = problemsWithSteps(lesson);
    if (problems.length) {
      console.log(`✖ lesson ${lesson.number}: its steps are not complete:\n${problems.map((line) => `    ${line}`).join('\n')}`);
      stale++;
      continue;
    }
    const made = makeStarter(lesson);
    const found = differences(lesson, made);
    if (parsed.values.check) {
      if (found.length === 0) console.log(`✔ lesson ${lesson.number}: ${starterFolderOf(lesson)} is what its solution and steps.md make`);
      else {
        stale++;
        console.log(`✖ lesson ${lesson.number}: ${starterFolderOf(lesson)} differs from what \`npm run starters -- ${lesson.number}\` makes:`);
        for (const { file, kind } of found) console.log(`    ${kind === 'changed' ? 'differs' : kind === 'new' ? 'missing' : 'not made from the solution'}: ${file}`);
      }
      continue;
    }
    for (const { file, kind } of found) {
      if (kind !== 'new') {
        backupFolder ??= newBackupFolder();
        backUp(file, backupFolder);
      }
      if (kind === 'extra') fs.rmSync(path.join(repoRoot, file));
      else writeWhole(file, made.get(path.basename(file))!);
    }
    console.log(`✔ lesson ${lesson.number}: ${found.length ? `wrote ${found.length} file(s) in` : 'unchanged:'} ${starterFolderOf(lesson)}`);
  }
  if (backupFolder) console.log(`The files it replaced are kept in ${backupFolder}/`);
  if (stale) process.exitCode = 1;
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    if (error instanceof MarkerError || error instanceof PlanError) exitWithUsage(error.message, 'Fix the markers or steps.md, then run `npm run starters` again.');
    throw error;
  }
}
