// Plain text tables for the terminal: columns padded to their widest cell.
export type Align = 'left' | 'right';

export function formatTable(header: string[], rows: string[][], align: Align[] = []): string {
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => width(row[column] ?? ''))));
  const line = (row: string[]) =>
    row
      .map((cell, column) => pad(cell, widths[column], align[column] ?? 'left'))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((each) => '─'.repeat(each))), ...rows.map(line)].join('\n');
}

// Every character used in the tables (✔, ▶, ·) takes one column.
const width = (text: string) => [...text].length;

function pad(text: string, to: number, align: Align): string {
  const room = ' '.repeat(Math.max(0, to - width(text)));
  return align === 'right' ? room + text : text + room;
}
