// `npm run reset 4`     puts back lesson 4's starter in lessons/04-*/cluster/
// `npm run reset 4 3`   puts back only step 3's stubs in your files
//
// It first says what it will replace; your version of each replaced file is
// kept in a git-ignored backup folder (.backup/<time>/), named in the output,
// so no work is lost. Each file is written whole or not at all.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, type Lesson } from './course';
import { newBackupFolder } from './steps/backup';
import { MarkerError } from './steps/markers';
import { PlanError, type Step } from './steps/plan';
import { makeStarter, problemsWithSteps, starterFolderOf } from './steps/starter';
import { LESSON_MENU, lessonFromWord, parseCommandLine, stepFromWord } from './tools/arguments';
import { replaceFiles } from './tools/replace-files';
import { planStepReset } from './tools/step-stubs';

const USAGE = () => `usage: npm run reset <lesson> [<step>]

  <lesson>         puts back the lesson's starter in lessons/NN-topic/cluster/
  <lesson> <step>  puts back only that step's stubs in your files
  Your version of every file it replaces is kept first in .backup/<time>/ (git-ignored).

${LESSON_MENU()}`;

function resetLesson(lesson: Lesson): void {
  const folder = starterFolderOf(lesson);
  const problems = problemsWithSteps(lesson);
  if (problems.length) {
    console.error(`Lesson ${lesson.number}'s starter cannot be made: its steps are not complete yet.\n${problems.map((line) => `  ${line}`).join('\n')}\nNothing was changed.`);
    process.exitCode = 1;
    return;
  }
  const starter = makeStarter(lesson);
  const changes = new Map<string, string>();
  const lines: string[] = [];
  for (const [name, text] of starter) {
    const file = path.join(folder, name);
    const absolute = path.join(repoRoot, file);
    if (!fs.existsSync(absolute)) lines.push(`  ${name}: missing, written again`);
    else if (fs.readFileSync(absolute, 'utf8') !== text) lines.push(`  ${name}: yours differs, replaced by the starter's`);
    else continue;
    changes.set(file, text);
  }
  if (changes.size === 0) {
    console.log(`${folder}/ is lesson ${lesson.number}'s starter already: nothing to put back.`);
    return;
  }
  console.log(`Putting back lesson ${lesson.number}'s starter in ${folder}/:\n${lines.join('\n')}`);
  // A file the learner added is theirs: the starter's files do not import it, so it can stay.
  const present = fs.existsSync(path.join(repoRoot, folder)) ? fs.readdirSync(path.join(repoRoot, folder)) : [];
  const added = present.filter((name) => !starter.has(name));
  if (added.length) console.log(`  (kept as they are, not part of the starter: ${added.join(', ')})`);
  const backupFolder = newBackupFolder();
  const kept = replaceFiles(changes, backupFolder);
  if (kept.length) console.log(`Your versions are kept in ${path.join(backupFolder, folder)}/`);
  console.log(`Done: ${changes.size} file${changes.size > 1 ? 's' : ''} put back. Start again with: npm run watch ${lesson.number}`);
}

function resetStep(lesson: Lesson, step: Step): void {
  const { changes, problems } = planStepReset(lesson, step);
  if (problems.length) {
    console.error(`Cannot put back step ${step.number}'s stubs of lesson ${lesson.number}:\n${problems.map((line) => `  ${line}`).join('\n')}`);
    console.error(`Nothing was changed. To put back the whole lesson's starter instead (your files are kept in .backup/): npm run reset ${lesson.number}`);
    process.exitCode = 1;
    return;
  }
  if (changes.size === 0) {
    console.log(`Step ${step.number} of lesson ${lesson.number} is all stubs already in ${starterFolderOf(lesson)}/: nothing to put back.`);
    return;
  }
  console.log(`Putting back the stubs of lesson ${lesson.number}, step ${step.number} (${step.title}):`);
  for (const [file, { replaced }] of changes) {
    for (const region of replaced) {
      const [first, last] = [region.startLine + 2, region.endLine];
      console.log(`  ${file}: ${region.name} (${first === last ? `line ${first}` : `lines ${first}-${last}`})`);
    }
  }
  const backupFolder = newBackupFolder();
  replaceFiles(new Map([...changes].map(([file, { text }]) => [file, text])), backupFolder);
  console.log(`Your versions of these files are kept in ${path.join(backupFolder, starterFolderOf(lesson))}/`);
}

function main(): void {
  const { positionals } = parseCommandLine(process.argv.slice(2), {}, 2, USAGE());
  const lesson = lessonFromWord(positionals[0], USAGE());
  if (positionals[1] === undefined) resetLesson(lesson);
  else resetStep(lesson, stepFromWord(lesson, positionals[1], USAGE()));
}

try {
  main();
} catch (error) {
  // A marker or steps.md mistake is the course's, not the learner's: say where, change nothing.
  if (!(error instanceof MarkerError || error instanceof PlanError)) throw error;
  console.error(`${error.message}\nNothing was changed.`);
  process.exitCode = 1;
}
