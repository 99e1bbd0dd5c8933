// A lesson's steps, read from lessons/NN-topic/steps.md:
//
//   ## Step 2: `disconnect()` from the primary
//   ### Idea
//   What node:cluster does here, and why (hint level 1).
//   ### Where to look
//   The public API that does it, and the function of Node's lib/internal/cluster/ to compare with (level 2).
//   ### Stub leave
//   ```ts
//   todo(4, 2, 'what node:cluster does, in observable terms');
//   ```
//
// Each "Stub NAME" replaces the body of the region "#step 4.2 NAME" of the
// lesson's solution in the starter; level 3 of the hint is those bodies.
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, type Lesson } from '../course';

export interface Step {
  lesson: number;
  number: number;
  title: string;
  /** hint level 1 */
  idea: string;
  /** hint level 2 */
  whereToLook: string;
  /** stub name → the lines that stand in the starter instead of the reference */
  stubs: Map<string, string[]>;
}

export const STEPS_FILE = 'steps.md';

export class PlanError extends Error {}

export function stepsFileOf(lesson: Lesson): string {
  return path.join(lesson.lessonDir, STEPS_FILE);
}

/** The lesson's steps in order; [] for a lesson without a steps.md. */
export function readSteps(lesson: Lesson): Step[] {
  const file = stepsFileOf(lesson);
  const absolute = path.join(repoRoot, file);
  if (!fs.existsSync(absolute)) return [];
  return parseSteps(fs.readFileSync(absolute, 'utf8'), lesson.number, file);
}

export function parseSteps(text: string, lesson: number, where: string): Step[] {
  const steps: Step[] = [];
  let step: Step | undefined;
  let section: 'idea' | 'where' | { stub: string } | undefined;
  let fence: string[] | undefined;
  const lines = text.split('\n');
  const fail = (index: number, message: string): never => {
    throw new PlanError(`${where}:${index + 1}: ${message}`);
  };
  lines.forEach((line, index) => {
    if (fence) {
      if (/^```\s*$/.test(line)) {
        if (!step || typeof section !== 'object') return fail(index, 'a code block belongs under "### Stub NAME"');
        if (step.stubs.has(section.stub)) fail(index, `step ${step.number} has two blocks for stub "${section.stub}"`);
        step.stubs.set(section.stub, fence);
        fence = undefined;
      } else {
        fence.push(line);
      }
      return;
    }
    const stepHeading = /^##\s+Step\s+(\d+):\s*(.+?)\s*$/.exec(line);
    const subHeading = /^###\s+(.+?)\s*$/.exec(line);
    if (stepHeading) {
      const number = Number(stepHeading[1]);
      if (number !== steps.length + 1) fail(index, `expected "## Step ${steps.length + 1}: ...", found step ${number}`);
      step = { lesson, number, title: stepHeading[2], idea: '', whereToLook: '', stubs: new Map() };
      steps.push(step);
      section = undefined;
    } else if (/^##\s/.test(line)) {
      fail(index, 'a second-level heading must read "## Step N: title"');
    } else if (subHeading) {
      if (!step) return fail(index, `"### ${subHeading[1]}" before the first "## Step 1: ..."`);
      const stub = /^Stub\s+([\w-]+)$/.exec(subHeading[1]);
      if (subHeading[1] === 'Idea') section = 'idea';
      else if (subHeading[1] === 'Where to look') section = 'where';
      else if (stub) section = { stub: stub[1] };
      else fail(index, `unknown section "### ${subHeading[1]}" (Idea, Where to look, Stub NAME)`);
    } else if (/^```/.test(line)) {
      fence = [];
    } else if (step && section === 'idea') {
      step.idea += `${line}\n`;
    } else if (step && section === 'where') {
      step.whereToLook += `${line}\n`;
    }
  });
  if (fence) throw new PlanError(`${where}: a code block is not closed`);
  for (const each of steps) {
    each.idea = each.idea.trim();
    each.whereToLook = each.whereToLook.trim();
  }
  return steps;
}
