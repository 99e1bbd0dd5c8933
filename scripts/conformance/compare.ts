// Comparing two runs of a program the way the course compares output from
// several processes: never one interleaving, but
//   - the same lines, each as many times, and
//   - the orders that must hold: a line's "lane" is the text before its first
//     ": " ("primary", "worker 1", "exit"); within a lane, lines keep their
//     order. Lines of different lanes may interleave in any way.
// Numbers of four digits or more (process ids, ports) are normalised first.

/** Process ids, ports, byte counts of a run: "N". */
export function normalise(line: string): string {
  return line.replace(/\b\d{4,}\b/g, 'N');
}

export const laneOf = (line: string) => {
  const colon = line.indexOf(': ');
  return colon === -1 ? '' : line.slice(0, colon);
};

function lanes(lines: string[]): Map<string, string[]> {
  const byLane = new Map<string, string[]>();
  for (const line of lines.map(normalise)) byLane.set(laneOf(line), [...(byLane.get(laneOf(line)) ?? []), line]);
  return byLane;
}

/** undefined when the runs agree; otherwise the first difference, in one line. */
export function firstDifference(expected: string[], actual: string[]): string | undefined {
  const want = lanes(expected);
  const got = lanes(actual);
  for (const lane of new Set([...want.keys(), ...got.keys()])) {
    const a = want.get(lane) ?? [];
    const b = got.get(lane) ?? [];
    const index = a.findIndex((line, i) => line !== b[i]);
    if (index !== -1) return b[index] === undefined ? `missing "${a[index]}"` : `"${b[index]}" where node:cluster has "${a[index]}"`;
    if (b.length > a.length) return `extra "${b[a.length]}"`;
  }
  return undefined;
}
