// Plain text tables for the terminal: columns padded to their widest cell,
// the header underlined with `rule` (none when it is '').
export type Align = 'left' | 'right';

export function formatTable(header: string[], rows: string[][], align: Align[] = [], rule = '─'): string {
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => width(row[column] ?? ''))));
  const line = (row: string[]) =>
    row
      .map((cell, column) => pad(cell, widths[column], align[column] ?? 'left'))
      .join('  ')
      .trimEnd();
  const underline = rule ? [line(widths.map((each) => rule.repeat(each)))] : [];
  return [line(header), ...underline, ...rows.map(line)].join('\n');
}

// Every character used in the tables (✔, ▶, ·) takes one column.
const width = (text: string) => [...text].length;

function pad(text: string, to: number, align: Align): string {
  const room = ' '.repeat(Math.max(0, to - width(text)));
  return align === 'right' ? room + text : text + room;
}
