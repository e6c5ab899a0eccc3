/** Compose v2's output: progress lines, per-service log prefixes, the ps table. */
import chalk from 'chalk';
import { spinners } from 'ora';
import { tabwrite } from './table.js';

export interface ProgressEvent {
  kind: string;
  name: string;
  status: string;
  done?: boolean;
}

/** Progress as compose prints it: plain lines (` Container x  Started`), or a block redrawn in place on a terminal. */
export class Progress {
  private lines: ProgressEvent[] = [];
  private drawn = 0;
  private frame = 0;
  private timer?: NodeJS.Timeout;
  private readonly started = new Map<string, number>();
  private readonly finished = new Map<string, number>();
  constructor(private readonly write: (s: string) => void, private readonly tty: boolean, private readonly title = 'Running') {}

  /** Stop the spinner (the block stays as last drawn). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.drawn) this.draw();
  }

  event(e: ProgressEvent): void {
    if (!this.tty) {
      this.write(` ${e.kind} ${e.name}  ${e.status}\n`);
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
    const width = Math.max(...this.lines.map((l) => l.kind.length + l.name.length + 1));
    for (const l of this.lines) {
      const frames = spinners.dots.frames;
      const mark = l.done ? chalk.green('✔') : chalk.yellow(frames[this.frame % frames.length]);
      const label = `${l.kind} ${l.name}`.padEnd(width);
      const key = `${l.kind} ${l.name}`;
      const secs = (((this.finished.get(key) ?? Date.now()) - (this.started.get(`${l.kind} ${l.name}`) ?? Date.now())) / 1000).toFixed(1);
      s += `\x1b[2K ${mark} ${label}  ${l.done ? chalk.green(l.status) : l.status} ${chalk.dim(secs + 's')}\n`;
    }
    this.drawn = this.lines.length + 1;
    this.write(s);
  }
}

// made on first use: chalk decides its colour level from the environment and the terminal when it loads
let colors: ((s: string) => string)[] | undefined;
const palette = (): ((s: string) => string)[] => (colors ??= [chalk.cyan, chalk.yellow, chalk.green, chalk.magenta, chalk.blue, chalk.red]);

/** `web-1  | ` prefixes padded to the longest name, coloured per service unless colours are off. */
export function logPrefixer(names: string[], color: boolean): (name: string) => string {
  const width = Math.max(0, ...names.map((n) => n.length));
  const byName = new Map<string, (s: string) => string>();
  let i = 0;
  return (n: string) => {
    let c = byName.get(n);
    if (!c) {
      const all = palette();
      c = all[i++ % all.length];
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
