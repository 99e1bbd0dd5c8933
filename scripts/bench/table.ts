// The bench's plain text tables, used by the report and by the breakdown (which the report includes: so the
// table lives apart from both, and neither imports the other back).

/** Columns padded to their widest cell; the first column left-aligned, the others too (they hold ranges). */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]): string => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
