// `npm run reset 4 3`: the stubs of one step put back into the learner's files.
// Each region `// #step 4.3 NAME` in the learner's file gets its body replaced
// by the stub of that name from steps.md, the way the starter was made. The
// markers are the only way to know where a step's code is, so a file whose
// marker the learner removed is not guessed at: the tool says so and changes
// nothing.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, type Lesson } from '../course';
import { MarkerError, regionsInText, replaceRegions, type StepRegion } from '../steps/markers';
import type { Step } from '../steps/plan';
import { starterFolderOf } from '../steps/starter';
import { referenceRegions } from './reference-code';

export interface StubsInFile {
  /** the text with the step's stubs back (the same text when nothing changed) */
  text: string;
  /** the learner's regions whose body was replaced */
  replaced: StepRegion[];
  /** why this file cannot be changed: a marker missing or broken */
  problems: string[];
}

/** Puts the stubs of `step` back into one file's text, in the regions named `names`. */
export function stubsBackInText(text: string, where: string, step: Step, names: string[], todoFolder: string): StubsInFile {
  let present: StepRegion[];
  try {
    present = regionsInText(text, where);
  } catch (error) {
    if (!(error instanceof MarkerError)) throw error;
    return { text, replaced: [], problems: [error.message] };
  }
  const isThisStep = (region: StepRegion) => region.lesson === step.lesson && region.step === step.number;
  const problems = names
    .filter((name) => !present.some((region) => isThisStep(region) && region.name === name))
    .map((name) => `${where} has no "// #step ${step.lesson}.${step.number} ${name}" … "// #endstep ${step.lesson}.${step.number} ${name}" (the markers around that stub).`);
  if (problems.length) return { text, replaced: [], problems };
  const replaced: StepRegion[] = [];
  const stubbed = replaceRegions(text, where, (region) => {
    const stub = isThisStep(region) && names.includes(region.name) ? step.stubs.get(region.name) : undefined;
    if (!stub) return undefined;
    // Indented like the learner's opening marker, as the starter indents it.
    const lines = stub.map((line) => (line.trim() === '' ? '' : region.indent + line));
    if (lines.join('\n') !== region.body.join('\n')) replaced.unshift(region);
    return lines;
  });
  return { text: replaced.length ? withTodoImport(stubbed, todoFolder) : text, replaced, problems: [] };
}

export interface StepReset {
  /** file (from the repository root) → its new text and the regions replaced */
  changes: Map<string, StubsInFile>;
  /** what stops the reset: a missing file or marker (then nothing is changed) */
  problems: string[];
}

/** What `npm run reset L S` would change in the learner's starter folder. */
export function planStepReset(lesson: Lesson, step: Step): StepReset {
  const folder = starterFolderOf(lesson);
  const wanted = referenceRegions(lesson, step.number);
  const changes = new Map<string, StubsInFile>();
  const problems: string[] = [];
  if (wanted.length === 0) problems.push(`${lesson.solutionDir} marks no code for step ${step.number}.`);
  for (const fileName of new Set(wanted.map((region) => region.file))) {
    const file = path.join(folder, fileName);
    const absolute = path.join(repoRoot, file);
    if (!fs.existsSync(absolute)) {
      problems.push(`${file} is missing.`);
      continue;
    }
    const names = wanted.filter((region) => region.file === fileName).map((region) => region.name);
    const result = stubsBackInText(fs.readFileSync(absolute, 'utf8'), file, step, names, folder);
    problems.push(...result.problems);
    if (result.replaced.length) changes.set(file, result);
  }
  return { changes, problems };
}

const TODO_IMPORT = /^import \{ todo \} from '[^']+';$/m;

/** A learner who wrote every stub may have removed the import of todo(); the stub needs it back. */
function withTodoImport(text: string, folder: string): string {
  if (TODO_IMPORT.test(text) || !/\btodo\(/.test(text)) return text;
  let relative = path.relative(path.join(repoRoot, folder), path.join(repoRoot, 'lessons', 'todo')).split(path.sep).join('/');
  if (!relative.startsWith('.')) relative = `./${relative}`;
  const lines = text.split('\n');
  const lastImport = lines.reduce((last, line, index) => (/^import\s.*['"];?$/.test(line) ? index : last), -1);
  lines.splice(lastImport + 1, 0, `import { todo } from '${relative}';`);
  return lines.join('\n');
}
