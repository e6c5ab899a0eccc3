/**
 * Go's text/tabwriter, byte for byte, as docker lays out every table
 * (formatter.Context: `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)`).
 *
 * Semantics reproduced from Go's tabwriter:
 * - a cell is text terminated by '\t' (or '\v'); the text after a line's last terminator is not part
 *   of any column and is never padded;
 * - a column's width is decided per *block*: the run of consecutive lines that have a (terminated)
 *   cell in that column; width = max(minwidth, widest cell + padding), widths counted in runes
 *   (code points), not display width, exactly as Go counts them;
 * - '\f' ends a line and flushes (blocks never continue across it); a line without any '\t'
 *   flushes as well, which is the same as ending every block;
 * - padchar '\t' pads with tabs rounded to tabwidth as Go does; AlignRight and DiscardEmptyColumns
 *   are supported; docker uses neither.
 *
 * cli-table3 is not used: it draws its own borders and gives every row the same columns, so it
 * cannot reproduce tabwriter's per-block widths or the unpadded last cell.
 */

export interface TabwriterOptions {
  minwidth: number;
  tabwidth?: number;
  padding: number;
  padchar?: string;
  alignRight?: boolean;
  discardEmptyColumns?: boolean;
}

/** docker's list tables: tabwriter.NewWriter(out, 10, 1, 3, ' ', 0) */
export const DOCKER_TABLE: TabwriterOptions = { minwidth: 10, tabwidth: 1, padding: 3, padchar: ' ' };

interface Cell {
  text: string;
  width: number;
  htab: boolean;
}

/** Go's utf8.RuneCountInString for a JavaScript string: code points (a surrogate pair is one rune). */
export function runeCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) {
      const p = i > 0 ? s.charCodeAt(i - 1) : 0;
      if (p >= 0xd800 && p <= 0xdbff) n--;
    }
  }
  return n;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0xd800) return false;
  return true;
}

class Formatter {
  private readonly out: string[] = [];
  private readonly widths: number[] = [];
  private readonly padchar: string;
  private readonly tabwidth: number;
  private readonly spaces: string[] = [];

  constructor(private readonly o: TabwriterOptions) {
    this.padchar = o.padchar ?? ' ';
    this.tabwidth = o.tabwidth ?? 8;
  }

  result(): string {
    return this.out.join('');
  }

  private pad(textw: number, cellw: number, useTabs: boolean): void {
    if (this.padchar === '\t' || useTabs) {
      if (this.tabwidth === 0) return;
      cellw = Math.ceil(cellw / this.tabwidth) * this.tabwidth;
      const n = cellw - textw;
      if (n > 0) this.out.push('\t'.repeat(Math.ceil(n / this.tabwidth)));
      return;
    }
    const n = cellw - textw;
    if (n <= 0) return;
    if (this.padchar === ' ' && n < 64) {
      let s = this.spaces[n];
      if (s === undefined) s = this.spaces[n] = ' '.repeat(n);
      this.out.push(s);
    } else this.out.push(this.padchar.repeat(n));
  }

  private writeLines(lines: Cell[][], line0: number, line1: number, last: boolean): void {
    const widths = this.widths;
    for (let i = line0; i < line1; i++) {
      const line = lines[i];
      for (let j = 0; j < line.length; j++) {
        const c = line[j];
        if (c.text.length === 0) {
          if (j < widths.length) this.pad(c.width, widths[j], false);
        } else if (!this.o.alignRight) {
          this.out.push(c.text);
          if (j < widths.length) this.pad(c.width, widths[j], false);
        } else {
          if (j < widths.length) this.pad(c.width, widths[j], false);
          this.out.push(c.text);
        }
      }
      if (!(last && i + 1 === lines.length)) this.out.push('\n');
    }
  }

  /** Go's Writer.format: recursive column blocks. */
  format(lines: Cell[][], line0: number, line1: number, last: boolean): void {
    const column = this.widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t].length - 1) continue;
      this.writeLines(lines, line0, t, last);
      line0 = t;
      let width = this.o.minwidth;
      let discardable = true;
      for (; t < line1; t++) {
        const line = lines[t];
        if (column >= line.length - 1) break;
        const c = line[column];
        const w = c.width + this.o.padding;
        if (w > width) width = w;
        if (c.width > 0 || c.htab) discardable = false;
      }
      if (discardable && this.o.discardEmptyColumns) width = 0;
      this.widths.push(width);
      this.format(lines, line0, t, last);
      this.widths.pop();
      line0 = t;
    }
    this.writeLines(lines, line0, line1, last);
  }
}

/**
 * Lay out text exactly as writing it to a Go tabwriter and calling Flush does.
 * Text that does not end in a newline keeps its last line unterminated, as Go does.
 */
export function tabwrite(text: string, o: TabwriterOptions = DOCKER_TABLE): string {
  const f = new Formatter(o);
  let lines: Cell[][] = [];
  let line: Cell[] = [];
  let start = 0;
  const ascii = isAscii(text);
  const flush = (last: boolean): void => {
    if (lines.length) f.format(lines, 0, lines.length, last);
    lines = [];
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    // \t \v \n \f
    if (ch !== 9 && ch !== 11 && ch !== 10 && ch !== 12) continue;
    const s = text.slice(start, i);
    line.push({ text: s, width: ascii ? s.length : runeCount(s), htab: ch === 9 });
    start = i + 1;
    if (ch === 9 || ch === 11) continue;
    lines.push(line);
    const ncells = line.length;
    line = [];
    if (ch === 12 || ncells === 1) flush(false);
  }
  // the unterminated rest: Flush terminates the cell; the line is the last one, written without newline
  const rest = text.slice(start);
  if (rest.length > 0) {
    line.push({ text: rest, width: ascii ? rest.length : runeCount(rest), htab: false });
  }
  lines.push(line);
  flush(true);
  return f.result();
}

/** A tabwriter that is written to in pieces and flushed, as Go's Writer (Write then Flush). */
export class TabWriter {
  private buf: string[] = [];

  constructor(private readonly o: TabwriterOptions = DOCKER_TABLE) {}

  write(s: string): void {
    this.buf.push(s);
  }

  /** Everything written since the last flush, laid out. */
  flush(): string {
    const text = this.buf.join('');
    this.buf = [];
    return tabwrite(text, this.o);
  }
}
