/** Compose v2's output: progress lines, per-service log prefixes, the ps table. */
import chalk from 'chalk';
import { spinners } from 'ora';
import { tabwrite } from './table.js';

export interface ProgressEvent {
  kind: string;
  name: string;
  /** StatusText */
  status: string;
  /** Text (pull and push events carry it: ` web Pulling `) */
  text?: string;
  done?: boolean;
}

export type ProgressMode = 'tty' | 'plain' | 'json' | 'quiet';

/** compose's api.DRYRUN_PREFIX */
export const DRYRUN_PREFIX = ' DRY-RUN MODE - ';

/** Go's json.Marshal of a string (HTML-safe escapes). */
const goJson = (s: string): string => JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * Progress as compose prints it (pkg/progress): plain lines (`fmt.Fprintln(out, prefix, ID, Text,
 * StatusText)`: ` Container x  Started`), JSON lines (`{"dry-run":true,"id":…,"status":…}`), nothing
 * (quiet), or a block redrawn in place on a terminal.
 */
export class Progress {
  private lines: ProgressEvent[] = [];
  private drawn = 0;
  private frame = 0;
  private timer?: NodeJS.Timeout;
  private readonly started = new Map<string, number>();
  private readonly finished = new Map<string, number>();
  private readonly mode: ProgressMode;
  constructor(private readonly write: (s: string) => void, mode: boolean | ProgressMode, private readonly dryRun = false, private readonly title = 'Running') {
    this.mode = mode === true ? 'tty' : mode === false ? 'plain' : mode;
  }

  /** A line outside the events (TailMsgf). */
  tail(msg: string): void {
    if (this.mode === 'quiet') return;
    if (this.mode === 'json') this.write(`{${this.dryRun ? '"dry-run":true,' : ''}"tail":true,"text":${goJson(msg)}}\n`);
    else this.write(`${this.dryRun ? DRYRUN_PREFIX : ''}${msg}\n`);
  }

  /** Stop the spinner (the block stays as last drawn). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.drawn) this.draw();
  }

  event(e: ProgressEvent): void {
    const id = e.kind ? `${e.kind} ${e.name}` : e.name;
    if (this.mode === 'quiet') return;
    if (this.mode === 'json') {
      const f = [this.dryRun ? '"dry-run":true' : '', `"id":${goJson(id)}`, e.text ? `"text":${goJson(e.text)}` : '', e.status ? `"status":${goJson(e.status)}` : ''];
      this.write(`{${f.filter(Boolean).join(',')}}\n`);
      return;
    }
    if (this.mode === 'plain') {
      // fmt.Fprintln(out, prefix, e.ID, e.Text, e.StatusText)
      this.write(`${this.dryRun ? DRYRUN_PREFIX : ''} ${id} ${e.text ?? ''} ${e.status}\n`);
      return;
    }
    const i = this.lines.findIndex((l) => l.kind === e.kind && l.name === e.name);
    if (e.done) this.finished.set(`${e.kind} ${e.name}`, Date.now());
    if (i >= 0) this.lines[i] = e;
    else {
      this.lines.push(e);
      this.started.set(`${e.kind} ${e.name}`, Date.now());
    }
    if (!this.timer && this.lines.some((l) => !l.done)) {
      // ora's dots spinner, redrawn in place; unref'd so it never keeps the process alive
      this.timer = setInterval(() => {
        this.frame++;
        this.draw();
        if (this.lines.every((l) => l.done)) this.stop();
      }, spinners.dots.interval);
      this.timer.unref();
    }
    this.draw();
  }

  private draw(): void {
    let s = this.drawn ? `\x1b[${this.drawn}A` : '';
    const done = this.lines.filter((l) => l.done).length;
    s += `\x1b[2K${chalk.blue('[+]')} ${this.title} ${done}/${this.lines.length}\n`;
    const idOf = (l: ProgressEvent): string => (l.kind ? `${l.kind} ${l.name}` : l.name);
    const width = Math.max(...this.lines.map((l) => idOf(l).length));
    for (const l of this.lines) {
      const frames = spinners.dots.frames;
      const mark = l.done ? chalk.green('✔') : chalk.yellow(frames[this.frame % frames.length]);
      const label = (this.dryRun ? chalk.dim(DRYRUN_PREFIX.trimStart()) : '') + idOf(l).padEnd(width);
      const key = `${l.kind} ${l.name}`;
      const secs = (((this.finished.get(key) ?? Date.now()) - (this.started.get(`${l.kind} ${l.name}`) ?? Date.now())) / 1000).toFixed(1);
      const st = [l.text, l.status].filter(Boolean).join(' ');
      s += `\x1b[2K ${mark} ${label}  ${l.done ? chalk.green(st) : st} ${chalk.dim(secs + 's')}\n`;
    }
    this.drawn = this.lines.length + 1;
    this.write(s);
  }
}

const COLORS = [chalk.cyan, chalk.yellow, chalk.green, chalk.magenta, chalk.blue, chalk.red];

/** `web-1  | ` prefixes padded to the longest name, coloured per service unless colours are off. */
export function logPrefixer(names: string[], color: boolean): (name: string) => string {
  const width = Math.max(0, ...names.map((n) => n.length));
  const byName = new Map<string, (s: string) => string>();
  let i = 0;
  return (n: string) => {
    let c = byName.get(n);
    if (!c) {
      c = COLORS[i++ % COLORS.length];
      byName.set(n, c);
    }
    const p = `${n.padEnd(width)}  | `;
    return color ? c(p) : p;
  };
}

export interface PsRow {
  Name: string;
  Image: string;
  Command: string;
  Service: string;
  Created: string;
  Status: string;
  Ports: string;
}

export function psTable(rows: PsRow[]): string {
  const text = ['NAME\tIMAGE\tCOMMAND\tSERVICE\tCREATED\tSTATUS\tPORTS', ...rows.map((r) => [r.Name, r.Image, JSON.stringify(r.Command), r.Service, r.Created, r.Status, r.Ports].join('\t'))].join('\n') + '\n';
  return tabwrite(text, { minwidth: 0, padding: 3 });
}
