/**
 * Go's text/tabwriter, as docker uses it for every table (tabwriter.NewWriter(out, minwidth, tabwidth,
 * padding, ' ', 0)): cells are tab-terminated, the text after a line's last tab is not part of a column,
 * and a column's width is decided per block of consecutive lines that have a cell in that column.
 * cli-table3 lays tables out by its own rules (borders, fixed columns), which cannot give these bytes.
 */

export interface TabwriterOptions {
  minwidth: number;
  padding: number;
  padchar?: string;
}

/** docker's list tables: tabwriter.NewWriter(out, 10, 1, 3, ' ', 0) */
export const LIST_TABLE: TabwriterOptions = { minwidth: 10, padding: 3 };

function runeWidth(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++; // count code points (UTF-8 runes), not UTF-16 units
  }
  return n;
}

/** Lay out text (lines of tab-terminated cells) exactly as Go's tabwriter does. */
export function tabwrite(text: string, o: TabwriterOptions = LIST_TABLE): string {
  const padchar = o.padchar ?? ' ';
  const rawLines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  if (endsWithNewline) rawLines.pop();
  const lines = rawLines.map((l) => l.split('\t'));
  const sizes = lines.map((cells) => cells.map(runeWidth));
  const widths: number[] = [];
  const out: string[] = [];

  const writeLines = (line0: number, line1: number): void => {
    for (let i = line0; i < line1; i++) {
      const cells = lines[i];
      let s = '';
      for (let j = 0; j < cells.length; j++) {
        s += cells[j];
        if (j < widths.length && j < cells.length - 1) s += padchar.repeat(Math.max(0, widths[j] - sizes[i][j]));
      }
      out.push(s);
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t].length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let width = o.minwidth;
      for (; t < line1; t++) {
        if (column >= lines[t].length - 1) break;
        const w = sizes[t][column] + o.padding;
        if (w > width) width = w;
      }
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t;
      t--; // the for loop's t++ must not skip the line that ended the block
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out.join('\n') + (endsWithNewline ? '\n' : '');
}
