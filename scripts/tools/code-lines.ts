// Counting the code a stage adds, for `npm run progress -- --stats`: the lines
// of solution N that are not in solution N-1 (a line diff of each file), less
// comments and blank lines; and, of those, the ones inside lesson N's `#step`
// regions, which the learner writes (the rest, types, wiring and imports, is given).
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot, type Lesson } from '../course';
import { regionsInText, sourceFiles } from '../steps/markers';

/** For each line: is it code (not blank, not only a comment)? */
export function codeLineFlags(lines: string[]): boolean[] {
  let inBlockComment = false;
  return lines.map((line) => {
    let rest = line.trim();
    if (inBlockComment) {
      const end = rest.indexOf('*/');
      if (end === -1) return false;
      inBlockComment = false;
      rest = rest.slice(end + 2).trim();
    }
    if (rest === '' || rest.startsWith('//')) return false;
    if (rest.startsWith('/*')) {
      const end = rest.indexOf('*/', 2);
      if (end === -1) {
        inBlockComment = true;
        return false;
      }
      return rest.slice(end + 2).trim() !== '';
    }
    return true;
  });
}

/**
 * The indexes of `after`'s lines that a line diff shows as added: those not
 * in a longest common subsequence of `before` and `after`.
 */
export function addedLines(before: string[], after: string[]): Set<number> {
  const n = before.length;
  const m = after.length;
  // common[i][j]: the longest common subsequence of before[i..] and after[j..], in one flat array.
  const common = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => i * (m + 1) + j;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      common[at(i, j)] = before[i] === after[j] ? common[at(i + 1, j + 1)] + 1 : Math.max(common[at(i + 1, j)], common[at(i, j + 1)]);
    }
  }
  const added = new Set<number>();
  let i = 0;
  let j = 0;
  while (j < m) {
    if (i < n && before[i] === after[j]) {
      i++;
      j++;
    } else if (i < n && common[at(i + 1, j)] >= common[at(i, j + 1)]) {
      i++;
    } else {
      added.add(j++);
    }
  }
  return added;
}

export interface StageLines {
  /** marked regions of lesson N in solution N: one stub each in the starter */
  stubs: number;
  /** code lines in solution N and not in solution N-1 */
  newCode: number;
  /** of those, the ones inside lesson N's #step regions */
  learnerWrites: number;
}

/** The counts for one lesson, from its solution and the one before (none for lesson 1). */
export function stageLines(lesson: Lesson, previous: Lesson | undefined): StageLines {
  const totals: StageLines = { stubs: 0, newCode: 0, learnerWrites: 0 };
  for (const file of sourceFiles(lesson.solutionDir)) {
    const where = path.join(lesson.solutionDir, file);
    const text = fs.readFileSync(path.join(repoRoot, where), 'utf8');
    const after = text.split('\n');
    const beforeFile = previous && path.join(repoRoot, previous.solutionDir, file);
    const before = beforeFile && fs.existsSync(beforeFile) ? fs.readFileSync(beforeFile, 'utf8').split('\n') : [];
    const regions = regionsInText(text, where).filter((region) => region.lesson === lesson.number);
    const isCode = codeLineFlags(after);
    const insideRegion = (index: number) => regions.some((region) => index > region.startLine && index < region.endLine);
    totals.stubs += regions.length;
    for (const index of addedLines(before, after)) {
      if (!isCode[index]) continue;
      totals.newCode++;
      if (insideRegion(index)) totals.learnerWrites++;
    }
  }
  return totals;
}
