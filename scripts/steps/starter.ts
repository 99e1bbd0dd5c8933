// Starters are made, never edited by hand: lesson N's starter is solution N
// with the bodies of lesson N's steps replaced by their stubs. Everything
// else in it (earlier lessons' code, types, wiring) is given.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, STARTER_FOLDER, type Lesson } from '../course';
import { findStepRegions, replaceRegions, sourceFiles, type StepRegion } from './markers';
import { readSteps, stepsFileOf, type Step } from './plan';
import { writeWhole } from './backup';

export interface StarterOptions {
  /** steps 1..filledUpTo keep the reference code (the per-step self-check); default: every step is a stub */
  filledUpTo?: number;
  /** where the starter will live, relative to the repository root (imports of lessons/todo.ts are made relative to it) */
  folder?: string;
}

/** file name → text of the starter's files. */
export function makeStarter(lesson: Lesson, options: StarterOptions = {}): Map<string, string> {
  const steps = readSteps(lesson);
  const folder = options.folder ?? starterFolderOf(lesson);
  const files = new Map<string, string>();
  for (const file of sourceFiles(lesson.solutionDir)) {
    const where = path.join(lesson.solutionDir, file);
    let text = fs.readFileSync(path.join(repoRoot, where), 'utf8');
    let stubbed = false;
    text = replaceRegions(text, where, (region) => {
      if (region.lesson !== lesson.number || region.step <= (options.filledUpTo ?? 0)) return undefined;
      stubbed = true;
      return stubLines(region, steps);
    });
    if (stubbed) text = withTodoImport(text, folder);
    files.set(file, yourCluster(text, lesson));
  }
  return files;
}

export function starterFolderOf(lesson: Lesson): string {
  return path.join(lesson.lessonDir, STARTER_FOLDER);
}

function stubLines(region: StepRegion, steps: Step[]): string[] {
  const stub = steps[region.step - 1]?.stubs.get(region.name);
  if (!stub) throw new Error(`${region.file}:${region.startLine + 1}: no "### Stub ${region.name}" under step ${region.step} of lessons/…/steps.md`);
  return stub.map((line) => (line.trim() === '' ? '' : region.indent + line));
}

const TODO_IMPORT = /^import \{ todo \} from '[^']+';$/m;

/** Adds `import { todo } from '…/lessons/todo'` after the last import (or the opening comment), once. */
function withTodoImport(text: string, folder: string): string {
  if (TODO_IMPORT.test(text)) return text;
  let relative = path.relative(path.join(repoRoot, folder), path.join(repoRoot, 'lessons', 'todo')).split(path.sep).join('/');
  if (!relative.startsWith('.')) relative = `./${relative}`;
  const lines = text.split('\n');
  let last = -1;
  lines.forEach((line, index) => {
    if (/^import\s.*from\s+'[^']+';$/.test(line) || /^import\s+'[^']+';$/.test(line)) last = index;
  });
  const statement = `import { todo } from '${relative}';`;
  if (last >= 0) lines.splice(last + 1, 0, statement);
  else {
    // No import yet: after the file's opening comment, set off by a blank line.
    const firstCode = lines.findIndex((line) => !line.startsWith('//'));
    lines.splice(firstCode, 0, statement, '');
  }
  return lines.join('\n');
}

/** The index's first line says whose cluster it is. */
export function yourCluster(text: string, lesson: Lesson): string {
  return text.replace(/^\/\/ Lesson (\d+)'s cluster:/, `// YOUR lesson ${lesson.number} cluster:`);
}

/**
 * What is wrong with a lesson's steps: a marked region without a stub, a stub
 * without a region, a step without its hints or without code to write.
 */
export function problemsWithSteps(lesson: Lesson): string[] {
  const steps = readSteps(lesson);
  const where = stepsFileOf(lesson);
  if (steps.length === 0) return [`${where}: missing or without a "## Step 1: ..." (every lesson has its steps and hints there)`];
  const regions = findStepRegions(lesson.solutionDir).filter((region) => region.lesson === lesson.number);
  const problems: string[] = [];
  for (const region of regions) {
    const step = steps[region.step - 1];
    if (!step) problems.push(`${lesson.solutionDir}/${region.file}:${region.startLine + 1}: step ${region.step} is not in ${where}`);
    else if (!step.stubs.has(region.name)) problems.push(`${where}: step ${region.step} has no "### Stub ${region.name}" (marked in ${lesson.solutionDir}/${region.file})`);
  }
  for (const step of steps) {
    const label = `${where}: step ${step.number}`;
    if (!step.idea) problems.push(`${label} has no "### Idea" (hint level 1)`);
    if (!step.whereToLook) problems.push(`${label} has no "### Where to look" (hint level 2)`);
    const mine = regions.filter((region) => region.step === step.number);
    if (mine.length === 0) problems.push(`${label} marks no code in ${lesson.solutionDir} (hint level 3: "// #step ${lesson.number}.${step.number} NAME")`);
    for (const name of step.stubs.keys()) {
      if (!mine.some((region) => region.name === name)) problems.push(`${label}: "### Stub ${name}" has no region "#step ${lesson.number}.${step.number} ${name}"`);
    }
  }
  return problems;
}

/** Where `--upto K` writes: git-ignored, beside the test results. */
export const UPTO_ROOT = path.join('.test-results', 'steps');

export function uptoFolder(lesson: Lesson, filledUpTo: number): string {
  return path.join(UPTO_ROOT, `${lesson.slug}-upto-${filledUpTo}`);
}

/** Writes lesson's starter with steps 1..filledUpTo done into its own folder; returns the folder. */
export function writeStarterUpTo(lesson: Lesson, filledUpTo: number): string {
  const folder = uptoFolder(lesson, filledUpTo);
  fs.rmSync(path.join(repoRoot, folder), { recursive: true, force: true });
  for (const [name, text] of makeStarter(lesson, { filledUpTo, folder })) writeWhole(path.join(folder, name), text);
  return folder;
}

