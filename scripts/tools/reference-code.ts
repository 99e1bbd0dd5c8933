// Hint level 3: the reference code of ONE step, cut from the solution by its
// `// #step L.S name` regions, each shown with its file and line numbers so the
// learner can see where it goes. Nothing outside those regions is shown.
import path from 'node:path';
import type { Lesson } from '../course';
import { findStepRegions, type StepRegion } from '../steps/markers';

/** The regions of lesson.step in the lesson's solution, in file and line order. */
export function referenceRegions(lesson: Lesson, step: number): StepRegion[] {
  return findStepRegions(lesson.solutionDir).filter((region) => region.lesson === lesson.number && region.step === step);
}

// The docs site's own markers may sit inside a step; they mean nothing to the learner.
const DOCS_MARKER = /^\s*\/\/\s*#(?:end)?region\b/;

/**
 *   solutions/04-worker-methods/worker.ts:57-58 (leave)
 *     57 │ if (this.isDead()) return;
 *     58 │ this.exitedAfterDisconnect = true;
 */
export function formatRegion(region: StepRegion, folder: string, colour: boolean): string {
  const firstLine = region.startLine + 2; // 1-based, the line after the marker
  const lastLine = region.endLine; // 1-based, the line before #endstep
  const where = `${path.join(folder, region.file)}:${firstLine === lastLine ? firstLine : `${firstLine}-${lastLine}`}`;
  const width = String(lastLine).length;
  const code = region.body
    .map((line, index) => ({ number: firstLine + index, line }))
    .filter(({ line }) => !DOCS_MARKER.test(line))
    .map(({ number, line }) => `  ${dim(String(number).padStart(width), colour)} │ ${line.startsWith(region.indent) ? line.slice(region.indent.length) : line.trimStart()}`)
    .join('\n');
  return `${bold(where, colour)} ${dim(`(${region.name})`, colour)}\n${code}`;
}

export function formatReference(regions: StepRegion[], folder: string, colour: boolean): string {
  return regions.map((region) => formatRegion(region, folder, colour)).join('\n\n');
}

const bold = (text: string, colour: boolean) => (colour ? `\x1b[1m${text}\x1b[22m` : text);
const dim = (text: string, colour: boolean) => (colour ? `\x1b[2m${text}\x1b[22m` : text);
