// A small line diff: the longest common subsequence of the two files' lines,
// then hunks with a few lines of context, as `diff -u` shows them. Solution
// files are a few hundred lines at most, so the plain O(n*m) table is fast.

export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  /** 1-based line number in the old file (not for added lines) */
  oldNumber?: number;
  /** 1-based line number in the new file (not for removed lines) */
  newNumber?: number;
}

export interface Hunk {
  lines: DiffLine[];
}

/** Every line of both files, in order, marked same, added or removed. */
export function diffLines(oldLines: string[], newLines: string[]): DiffLine[] {
  const n = oldLines.length;
  const m = newLines.length;
  // common[i][j] = length of the LCS of oldLines[i..] and newLines[j..]
  const width = m + 1;
  const common = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      common[i * width + j] =
        oldLines[i] === newLines[j]
          ? common[(i + 1) * width + j + 1] + 1
          : Math.max(common[(i + 1) * width + j], common[i * width + j + 1]);
    }
  }
  const result: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && oldLines[i] === newLines[j]) {
      result.push({ kind: 'same', oldNumber: ++i, newNumber: ++j });
    } else if (j < m && (i === n || common[i * width + j + 1] >= common[(i + 1) * width + j])) {
      result.push({ kind: 'added', newNumber: ++j });
    } else {
      result.push({ kind: 'removed', oldNumber: ++i });
    }
  }
  // Show removals before additions inside each run of changes, as diff -u does.
  return groupRemovalsFirst(result);
}

function groupRemovalsFirst(lines: DiffLine[]): DiffLine[] {
  const ordered: DiffLine[] = [];
  let run: DiffLine[] = [];
  const flush = () => {
    ordered.push(...run.filter((line) => line.kind === 'removed'), ...run.filter((line) => line.kind === 'added'));
    run = [];
  };
  for (const line of lines) {
    if (line.kind === 'same') {
      flush();
      ordered.push(line);
    } else {
      run.push(line);
    }
  }
  flush();
  return ordered;
}

/** The changed lines with `context` unchanged lines around them; far-apart changes make separate hunks. */
export function toHunks(lines: DiffLine[], context = 3): Hunk[] {
  const keep = new Array<boolean>(lines.length).fill(false);
  lines.forEach((line, index) => {
    if (line.kind === 'same') return;
    for (let k = Math.max(0, index - context); k <= Math.min(lines.length - 1, index + context); k++) keep[k] = true;
  });
  const hunks: Hunk[] = [];
  let current: DiffLine[] | undefined;
  lines.forEach((line, index) => {
    if (!keep[index]) {
      current = undefined;
      return;
    }
    if (!current) hunks.push({ lines: (current = []) });
    current.push(line);
  });
  return hunks;
}
