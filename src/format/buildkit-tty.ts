/**
 * BuildKit's live view on a terminal, as docker 20.10's client draws it (progressui's console
 * display): a `[+] Building 1.2s (5/8)` header, one line per started step with its timer (statuses
 * as `=> name` lines under their step), the last lines of a running step's output shown faint under
 * it, finished steps in blue (errors red, cancelled ones yellow), everything redrawn in place at most
 * every 100 ms and at least every 150 ms; at the end the whole list once more with FINISHED, then a
 * box with the logs of each failed step.
 */
import { Chalk } from 'chalk';
import type { StatusResponse, Vertex, VertexStatus } from '../engine/buildkit/proto.js';
import { ms } from '../engine/buildkit/proto.js';
import { unitBytes } from './buildkit.js';

const TERM_HEIGHT = 6;
const TERM_PAD = 10;
// aec's sequences
const ESC = '\x1b[';
const HIDE = `${ESC}?25l`;
const SHOW = `${ESC}?25h`;
// colours as aec applies them (level 1: the 16 basic colours, whatever the environment says)
// made on first use: chalk reads the environment and the terminal when it loads, and the bundle is
// evaluated into the startup snapshot at build time
let made: InstanceType<typeof Chalk> | undefined;
const colours = (): InstanceType<typeof Chalk> => (made ??= new Chalk({ level: 1 }));

/** the last rows of a step's output as a small terminal shows them: \r returns, long lines wrap, old rows scroll away */
class MiniTerm {
  rows: string[] = [''];
  private col = 0;
  constructor(public width: number) {}
  write(s: string): void {
    for (const ch of s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')) {
      if (ch === '\n') {
        this.newline();
      } else if (ch === '\r') {
        this.col = 0;
      } else if (ch >= ' ' || ch === '\t') {
        if (this.col >= this.width) this.newline();
        // the screen scrolls when a row below its last one is written to
        if (this.rows.length > TERM_HEIGHT) this.rows.shift();
        const r = this.rows[this.rows.length - 1];
        const c = ch === '\t' ? ' ' : ch;
        this.rows[this.rows.length - 1] = r.slice(0, this.col).padEnd(this.col, ' ') + c + r.slice(this.col + 1);
        this.col++;
      }
    }
  }
  private newline(): void {
    if (this.rows.length > TERM_HEIGHT) this.rows.shift();
    this.rows.push('');
    this.col = 0;
  }
  resize(width: number): void {
    this.width = width;
  }
  /** the rows with something on them */
  content(): string[] {
    return this.rows.slice(0, TERM_HEIGHT).filter((r) => r.trim() !== '').map((r) => r.slice(0, this.width).padEnd(this.width, ' '));
  }
}

type Status = VertexStatus;

interface VState {
  v: Vertex;
  index: number;
  statuses: Status[];
  byID: Map<string, Status>;
  logs: string[];
  logsPartial: boolean;
  term: MiniTerm;
  termBytes: number;
  termCount: number;
}

interface Job {
  start?: number;
  end?: number;
  name: string;
  status: string;
  hasError: boolean;
  canceled: boolean;
  vertex?: VState;
  showTerm: boolean;
}

export interface TtyTarget {
  write(s: string): void;
  /** the terminal's size now */
  size(): { columns: number; rows: number };
}

export class TtyDisplay {
  private byDigest = new Map<string, VState>();
  private started: VState[] = [];
  private next = 0;
  /** local clock minus the engine's, taken when the first step started */
  private localTimeDiff = 0;
  private lineCount = 0;
  private repeated = false;
  private lastDraw = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private out: TtyTarget,
    private phase = 'Building',
    /** buildx's console description, right-aligned in the header (`docker:default`); none for docker 20.10's own view */
    private desc = '',
  ) {
    this.timer = setInterval(() => this.tick(), 150);
    this.timer.unref?.();
  }

  update(msg: StatusResponse): void {
    const width = this.out.size().columns;
    for (const v of msg.vertexes) {
      let st = this.byDigest.get(v.digest);
      const prevStarted = st?.v.started;
      if (!st) {
        st = { v, index: ++this.next, statuses: [], byID: new Map(), logs: [], logsPartial: false, term: new MiniTerm(width - TERM_PAD), termBytes: 0, termCount: 0 };
        this.byDigest.set(v.digest, st);
      }
      if (v.started && !prevStarted) {
        if (this.localTimeDiff === 0) this.localTimeDiff = Date.now() - ms(v.started)!;
        this.started.push(st);
      }
      if (!(prevStarted && !v.started)) st.v = v;
    }
    for (const s of msg.statuses) {
      const st = this.byDigest.get(s.vertex);
      if (!st) continue;
      const prev = st.byID.get(s.ID);
      if (!prev) st.byID.set(s.ID, { ...s });
      const cur = st.byID.get(s.ID)!;
      if (s.started && !(prev && prev.started)) st.statuses.push(cur);
      Object.assign(cur, s);
    }
    for (const l of msg.logs) {
      const st = this.byDigest.get(l.vertex);
      if (!st) continue;
      st.term.resize(width - TERM_PAD);
      st.termBytes += l.msg.length;
      const text = l.msg.toString('utf8');
      st.term.write(text);
      if (!text.length) continue;
      const parts = text.split('\n');
      const complete = parts[parts.length - 1] === '';
      if (complete) parts.pop();
      parts.forEach((dt, i) => {
        if (st.logsPartial && st.logs.length && i === 0) st.logs[st.logs.length - 1] += dt;
        else {
          const start = ms(st.v.started);
          const sec = start === undefined ? 0 : ((ms(l.timestamp) ?? start) - start) / 1000;
          const prec = sec < 10 ? 3 : sec < 100 ? 2 : 1;
          st.logs.push(`#${st.index} ${sec.toFixed(prec)} ${dt}`);
        }
      });
      st.logsPartial = !complete;
    }
    if (Date.now() - this.lastDraw >= 100) this.draw(false);
  }

  private tick(): void {
    if (Date.now() - this.lastDraw >= 100) this.draw(false);
  }

  private jobs(): Job[] {
    const jobs: Job[] = [];
    const shift = (t: number | undefined): number | undefined => (t === undefined ? undefined : t + this.localTimeDiff);
    for (const v of this.started) {
      const j: Job = { start: shift(ms(v.v.started)), end: shift(ms(v.v.completed)), name: v.v.name.replace(/\t/g, ' '), status: '', hasError: false, canceled: false, vertex: v, showTerm: false };
      if (v.v.error) {
        if (v.v.error.endsWith('context canceled')) {
          j.canceled = true;
          j.name = 'CANCELED ' + j.name;
        } else {
          j.hasError = true;
          j.name = 'ERROR ' + j.name;
        }
      }
      if (v.v.cached) j.name = 'CACHED ' + j.name;
      jobs.push(j);
      for (const s of v.statuses) {
        let status = '';
        if (s.total !== 0) status = `${unitBytes(s.current)} / ${unitBytes(s.total)}`;
        else if (s.current !== 0) status = unitBytes(s.current);
        jobs.push({ start: shift(ms(s.started)), end: shift(ms(s.completed)), name: '=> ' + s.ID, status, hasError: false, canceled: false, showTerm: false });
      }
    }
    return jobs;
  }

  private draw(all: boolean): void {
    this.lastDraw = Date.now();
    const { columns: width, rows: height } = this.sizeNow();
    let jobs = this.jobs();
    // terminals for the busiest running steps, while there is room
    const candidates = jobs.filter((j) => j.vertex && j.vertex.termBytes > 0 && j.end === undefined);
    const inUse = jobs.filter((j) => j.end === undefined).length;
    candidates.sort((a, b) => b.vertex!.termBytes + b.vertex!.termCount * 50 - (a.vertex!.termBytes + a.vertex!.termCount * 50));
    let free = height - 2 - inUse;
    let hide = 0;
    for (let i = 0; free > TERM_HEIGHT + 3 && i < candidates.length; i++) {
      candidates[i].showTerm = true;
      hide += candidates[i].vertex!.term.content().length;
      free -= TERM_HEIGHT + 3;
    }
    if (!all) jobs = wrapHeight(jobs, height - 2 - hide);
    let out = `${ESC}1A`.repeat(this.lineCount + 1);
    if (!this.repeated) out += `${ESC}1B`;
    this.repeated = true;
    out += `${ESC}0G` + HIDE;
    const total = this.byDigest.size;
    let done = 0;
    for (const v of this.byDigest.values()) if (v.v.completed) done++;
    const status = done > 0 && done === total && all ? 'FINISHED' : '';
    const first = this.started[0];
    const now = Date.now();
    const startTime = first ? ms(first.v.started)! + this.localTimeDiff : now;
    const head = `[+] ${this.phase} ${((now - startTime) / 1000).toFixed(1)}s (${done}/${total}) ${status}`;
    out += (this.desc ? align(head, this.desc, width - 1) : align(head, '', width)).slice(0, width) + '\n';
    let lines = 0;
    for (const j of jobs) {
      if (j.start === undefined) continue;
      let dt = ((j.end ?? now) - j.start) / 1000;
      if (dt < 0.05) dt = 0;
      const pfx = ' => ';
      const timer = ` ${dt.toFixed(1).padStart(3)}s\n`;
      let left = width - pfx.length - timer.length - 1;
      let showStatus = false;
      if (j.status && left + j.status.length > 20) {
        showStatus = true;
        left -= j.status.length + 1;
      }
      if (left < 12) continue;
      let line = pfx + j.name.slice(0, left);
      if (showStatus) line += ' ' + j.status;
      line = align(line, timer, width);
      if (j.end !== undefined) line = (j.canceled ? colours().yellow : j.hasError ? colours().red : colours().blue)(line);
      out += line;
      lines++;
      if (j.showTerm && j.vertex) {
        j.vertex.term.resize(width - TERM_PAD);
        for (const r of j.vertex.term.content()) {
          out += colours().dim(` => => # ${r}\n`);
          lines++;
        }
        j.vertex.termCount++;
      }
    }
    const diff = this.lineCount - lines;
    if (diff > 0) {
      for (let i = 0; i < diff; i++) out += ' '.repeat(width) + '\n';
      out += `${ESC}${diff}A${ESC}0G`;
    }
    this.lineCount = lines;
    out += SHOW;
    this.out.write(out);
  }

  private sizeNow(): { columns: number; rows: number } {
    const s = this.out.size();
    return { columns: s.columns > 0 ? s.columns : 80, rows: s.rows > 0 ? s.rows : 10 };
  }

  /** the last drawing, every step shown, then the failed steps' logs */
  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.draw(true);
    let out = '';
    for (const v of this.started) {
      if (v.v.error && !v.v.error.endsWith('context canceled')) {
        out += `------\n > ${v.v.name}:\n`;
        for (const l of v.logs) out += l + '\n';
        out += '------\n';
      }
    }
    if (out) this.out.write(out);
  }
}

/** Go's fmt "%-*s %s": the left part padded to the width less the right part */
function align(l: string, r: string, w: number): string {
  return l.padEnd(w - r.length - 1, ' ') + ' ' + r;
}

/** progressui's wrapHeight: the last lines that fit, running steps cut off above brought back */
function wrapHeight(j: Job[], limit: number): Job[] {
  if (limit < 0) return [];
  let wrapped = [...j];
  if (j.length > limit) {
    wrapped = wrapped.slice(j.length - limit);
    const invisible = j.slice(0, j.length - limit).filter((x) => x.end === undefined);
    let l = invisible.length;
    if (l > 0) {
      const rewrapped: Job[] = [];
      for (const x of wrapped) {
        if (x.end === undefined || l <= 0) rewrapped.push(x);
        l--;
      }
      const free = wrapped.length - rewrapped.length;
      wrapped = [...invisible.slice(invisible.length - free), ...rewrapped];
    }
  }
  return wrapped;
}
