/** Compose v2's output: progress lines, per-service log prefixes, the ps table. */
import { Chalk } from 'chalk';
// ora's own spinners, without ora: loading ora makes an Intl.Segmenter (string-width), ~25 ms of every command's start-up
import spinners from 'cli-spinners';
import type { ListFormat } from './list.js';
import { GoStruct, type GoValue } from './template/values.js';
import { goQuote } from '../go/strconv.js';
import { goTimeString } from '../go/time.js';
import { humanSize } from '../go/units.js';
import { ellipsis, timeAgo, truncateId } from './humanize.js';
import { displayablePorts } from './ports.js';

// chalk's default instance, made on first use (its colour level comes from the terminal and the
// environment). Our modules are ES modules in node mode: a default import of bin/build.mjs's lazy
// stand-in would be the stand-in object, not chalk.
let made: InstanceType<typeof Chalk> | undefined;
const colour = (): InstanceType<typeof Chalk> => (made ??= new Chalk());

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
    s += `\x1b[2K${colour().blue('[+]')} ${this.title} ${done}/${this.lines.length}\n`;
    const idOf = (l: ProgressEvent): string => (l.kind ? `${l.kind} ${l.name}` : l.name);
    const width = Math.max(...this.lines.map((l) => idOf(l).length));
    for (const l of this.lines) {
      const frames = spinners.dots.frames;
      const mark = l.done ? colour().green('✔') : colour().yellow(frames[this.frame % frames.length]);
      const label = (this.dryRun ? colour().dim(DRYRUN_PREFIX.trimStart()) : '') + idOf(l).padEnd(width);
      const key = `${l.kind} ${l.name}`;
      const secs = (((this.finished.get(key) ?? Date.now()) - (this.started.get(`${l.kind} ${l.name}`) ?? Date.now())) / 1000).toFixed(1);
      const st = [l.text, l.status].filter(Boolean).join(' ');
      s += `\x1b[2K ${mark} ${label}  ${l.done ? colour().green(st) : st} ${colour().dim(secs + 's')}\n`;
    }
    this.drawn = this.lines.length + 1;
    this.write(s);
  }
}

// made on first use: chalk decides its colour level from the environment and the terminal when it loads
let colors: ((s: string) => string)[] | undefined;
const palette = (): ((s: string) => string)[] => (colors ??= [colour().cyan, colour().yellow, colour().green, colour().magenta, colour().blue, colour().red]);

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

/** compose's api.ContainerSummary (what `compose ps` formats). */
export interface ComposeSummary {
  ID: string;
  Name: string;
  Names: string[];
  Image: string;
  Command: string;
  Project: string;
  Service: string;
  Created: number;
  State: string;
  Status: string;
  Health: string;
  ExitCode: number;
  Publishers: { URL: string; TargetPort: number; PublishedPort: number; Protocol: string }[];
  Labels: Record<string, string>;
  SizeRw?: number;
  SizeRootFs?: number;
  Mounts: string[];
  Networks: string[];
  LocalVolumes: number;
}

/** compose's cmd/formatter ContainerContext headers and default table. */
export const COMPOSE_PS_FORMAT: ListFormat = {
  defaultTable: 'table {{.Name}}\t{{.Image}}\t{{.Command}}\t{{.Service}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}',
  headers: {
    ID: 'CONTAINER ID', Name: 'NAME', Project: 'PROJECT', Service: 'SERVICE', Image: 'IMAGE', Command: 'COMMAND', CreatedAt: 'CREATED AT',
    RunningFor: 'CREATED', Ports: 'PORTS', State: 'STATE', Status: 'STATUS', Size: 'SIZE', Labels: 'LABELS',
  },
};

/** compose's ContainerContext: its methods for templates, formatter.MarshalJSON (sorted method names) for json. */
export function composePsContext(c: ComposeSummary, trunc: boolean, now = Date.now()): GoStruct {
  const m: Record<string, () => GoValue> = {
    Command: () => goQuote(trunc ? ellipsis(c.Command, 20) : c.Command),
    CreatedAt: () => goTimeString(c.Created),
    ExitCode: () => c.ExitCode,
    Health: () => c.Health,
    ID: () => (trunc ? truncateId(c.ID) : c.ID),
    Image: () => c.Image,
    Labels: () => Object.entries(c.Labels ?? {}).map(([k, v]) => `${k}=${v}`).join(','),
    LocalVolumes: () => String(c.LocalVolumes),
    Mounts: () => c.Mounts.map((n) => (trunc ? ellipsis(n, 15) : n)).join(','),
    Name: () => c.Name,
    Names: () => c.Names.map((n) => n.replace(/^\//, '')).join(','),
    Networks: () => c.Networks.join(','),
    Ports: () => displayablePorts(c.Publishers.map((p) => ({ IP: p.URL, PrivatePort: p.TargetPort, PublicPort: p.PublishedPort || undefined, Type: p.Protocol })) as any),
    Project: () => c.Project,
    RunningFor: () => timeAgo(c.Created, now),
    Service: () => c.Service,
    Size: () => {
      const rw = humanSize(c.SizeRw ?? 0);
      return (c.SizeRootFs ?? 0) > 0 ? `${rw} (virtual ${humanSize(c.SizeRootFs ?? 0)})` : rw;
    },
    State: () => c.State,
    Status: () => c.Status,
  };
  const methods: Record<string, (...a: GoValue[]) => GoValue> = { ...m, Label: (n) => (c.Labels ?? {})[String(n)] ?? '', Publishers: () => c.Publishers as unknown as GoValue };
  return new GoStruct('*formatter.ContainerContext', [], methods, () => {
    const j: Record<string, unknown> = {};
    for (const k of [...Object.keys(m), 'Publishers'].sort()) j[k] = k === 'Publishers' ? c.Publishers : m[k]();
    return j;
  });
}
