// The code a learner writes in lesson N is marked once, in solution N:
//
//   // #step 4.2 leave
//   ...the reference code for lesson 4, step 2...
//   // #endstep 4.2 leave
//
// The starter is solution N with each of lesson N's marked bodies replaced by
// its stub (see starter.ts); hint level 3 shows one step's bodies. Markers are
// comments, so they stay in later solutions, where nothing replaces them.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../course';

export interface StepRegion {
  lesson: number;
  step: number;
  /** the name after the step number: names the stub in steps.md */
  name: string;
  /** the file, relative to the folder that was searched */
  file: string;
  /** 0-based line numbers of the two marker lines */
  startLine: number;
  endLine: number;
  /** the indentation of the opening marker: a stub is indented the same way */
  indent: string;
  /** the lines between the markers */
  body: string[];
}

const STEP_START = /^(\s*)\/\/\s*#step\s+(\d+)\.(\d+)\s+([\w-]+)\s*$/;
const STEP_END = /^\s*\/\/\s*#endstep\s+(\d+)\.(\d+)\s+([\w-]+)\s*$/;

/** A mistake in the markers, reported with the file and line. */
export class MarkerError extends Error {}

/** Every marked region in the .ts files of `folder` (relative to the repository root), in file and line order. */
export function findStepRegions(folder: string): StepRegion[] {
  return sourceFiles(folder).flatMap((file) =>
    regionsInText(fs.readFileSync(path.join(repoRoot, folder, file), 'utf8'), path.join(folder, file)).map((region) => ({
      ...region,
      file,
    })),
  );
}

/** The .ts files of a folder, relative to it, sorted (no sub-folders: a cluster is one flat folder). */
export function sourceFiles(folder: string): string[] {
  const absolute = path.join(repoRoot, folder);
  if (!fs.existsSync(absolute)) return [];
  return fs
    .readdirSync(absolute, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => entry.name)
    .sort();
}

/**
 * The regions of one file's text. `where` names the file in error messages.
 * A region may sit inside another (a later lesson's step inside an earlier
 * one's), but never across one: each #endstep closes the last #step opened.
 */
export function regionsInText(text: string, where: string): StepRegion[] {
  const lines = text.split('\n');
  const regions: StepRegion[] = [];
  const open: Array<{ lesson: number; step: number; name: string; line: number; indent: string }> = [];
  lines.forEach((line, index) => {
    const start = STEP_START.exec(line);
    const end = STEP_END.exec(line);
    if (start) {
      open.push({ indent: start[1], lesson: Number(start[2]), step: Number(start[3]), name: start[4], line: index });
    } else if (end) {
      const [lesson, step, name] = [Number(end[1]), Number(end[2]), end[3]];
      const last = open.pop();
      if (!last || last.lesson !== lesson || last.step !== step || last.name !== name) {
        const expected = last ? `; the last one opened is "#step ${last.lesson}.${last.step} ${last.name}" (line ${last.line + 1})` : '';
        throw new MarkerError(`${where}:${index + 1}: "#endstep ${lesson}.${step} ${name}" closes no matching "#step ${lesson}.${step} ${name}"${expected}`);
      }
      regions.push({ ...last, file: where, startLine: last.line, endLine: index, body: lines.slice(last.line + 1, index) });
    } else if (/^\s*\/\/\s*#(?:end)?step\b/.test(line)) {
      throw new MarkerError(`${where}:${index + 1}: a step marker must read "// #step L.S name" or "// #endstep L.S name"`);
    }
  });
  const unclosed = open.pop();
  if (unclosed) throw new MarkerError(`${where}:${unclosed.line + 1}: "#step ${unclosed.lesson}.${unclosed.step} ${unclosed.name}" has no #endstep`);
  return regions.sort((a, b) => a.startLine - b.startLine);
}

/**
 * Replaces the body of each region for which `replacement` returns lines; the
 * markers stay. A region inside one that is replaced goes with its body.
 */
export function replaceRegions(text: string, where: string, replacement: (region: StepRegion) => string[] | undefined): string {
  const lines = text.split('\n');
  const replaced: Array<{ region: StepRegion; body: string[] }> = [];
  for (const region of regionsInText(text, where)) {
    if (replaced.some(({ region: outer }) => outer.startLine < region.startLine && region.endLine < outer.endLine)) continue;
    const body = replacement(region);
    if (body) replaced.push({ region, body });
  }
  // From the last region to the first, so earlier line numbers stay valid.
  for (const { region, body } of replaced.reverse()) {
    lines.splice(region.startLine + 1, region.endLine - region.startLine - 1, ...body);
  }
  return lines.join('\n');
}
