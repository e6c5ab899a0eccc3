/**
 * BuildKit's plain progress (buildx's progressui text printer): one block per vertex, `#N name`,
 * its status lines, its logs as `#N 0.307 text`, then `#N DONE 0.5s`, `#N CACHED` or
 * `#N ERROR: ...`; a blank line between blocks and `#N ...` when a block is interrupted by another.
 * Fed with decoded StatusResponse messages; time stamps are the engine's.
 */
import type { StatusResponse, Vertex, VertexStatus } from '../engine/buildkit/proto.js';
import { ms } from '../engine/buildkit/proto.js';

/** tonistiigi/units Bytes with %.2f: whole bytes below 1 kB, else two decimals and a decimal unit */
export function unitBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  let i = 0;
  let base = 1;
  while (n >= base * 1000 && i < units.length - 1) {
    base *= 1000;
    i++;
  }
  if (i === 0) return `${n}B`;
  return `${(n / base).toFixed(2)}${units[i]}`;
}

interface Status extends VertexStatus {
  printed?: { current: number; ts: number };
}

interface VertexState {
  index: number;
  v: Vertex;
  statuses: Status[];
  byID: Map<string, Status>;
  statusUpdates: Set<string>;
  logs: string[];
  logsPartial: boolean;
  logsOffset: number;
  /** every log line kept for the error summary */
  errorLogs: string[];
}

export class PlainPrinter {
  private byDigest = new Map<string, VertexState>();
  private order: VertexState[] = [];
  private updates = new Set<string>();
  private next = 0;
  private current = '';
  private notFirst = false;

  constructor(private write: (s: string) => void) {}

  update(msg: StatusResponse): void {
    for (const v of msg.vertexes) {
      let st = this.byDigest.get(v.digest);
      const prevStarted = st?.v.started;
      if (!st) {
        st = { index: ++this.next, v, statuses: [], byID: new Map(), statusUpdates: new Set(), logs: [], logsPartial: false, logsOffset: 0, errorLogs: [] };
        this.byDigest.set(v.digest, st);
      }
      if (v.started && !prevStarted) this.order.push(st);
      if (!(prevStarted && !v.started)) st.v = v;
      this.updates.add(v.digest);
      this.seen.set(v.digest, Date.now());
    }
    for (const s of msg.statuses) {
      const st = this.byDigest.get(s.vertex);
      if (!st) continue;
      let prev = st.byID.get(s.ID);
      if (!prev) {
        prev = { ...s };
        st.byID.set(s.ID, prev);
      }
      if (s.started && !prev.started) st.statuses.push(prev);
      else if (s.started && !st.statuses.includes(prev)) st.statuses.push(prev);
      Object.assign(prev, s);
      st.statusUpdates.add(s.ID);
      this.updates.add(st.v.digest);
      this.seen.set(st.v.digest, Date.now());
    }
    for (const l of msg.logs) {
      const st = this.byDigest.get(l.vertex);
      if (!st) continue;
      const text = l.msg.toString('utf8');
      const parts = text.split('\n');
      const complete = parts[parts.length - 1] === '';
      if (complete) parts.pop();
      parts.forEach((dt, i) => {
        if (st.logsPartial && st.logs.length && i === 0) {
          st.logs[st.logs.length - 1] += dt;
          st.errorLogs[st.errorLogs.length - 1] += dt;
        } else {
          const start = ms(st.v.started);
          const sec = start === undefined ? 0 : ((ms(l.timestamp) ?? start) - start) / 1000;
          const prec = sec < 10 ? 3 : sec < 100 ? 2 : 1;
          const line = `#${st.index} ${sec.toFixed(prec)} ${dt}`;
          st.logs.push(line);
          st.errorLogs.push(line);
        }
      });
      st.logsPartial = !complete;
      this.updates.add(st.v.digest);
      this.seen.set(st.v.digest, Date.now());
    }
    // as buildx: drawn at once when the last drawing is 100 ms old, else on the next tick (150 ms
    // after the last drawing), and at the end
    const now = Date.now();
    if (now - this.lastPrint >= 100) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.tick();
    } else
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.tick();
      }, 150 - (now - this.lastPrint));
  }

  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastPrint = 0;
  /** when each vertex last had news */
  private seen = new Map<string, number>();

  private tick(): void {
    this.lastPrint = Date.now();
    this.print();
  }

  private printVtx(dgst: string): void {
    const v = this.byDigest.get(dgst);
    if (!v) return;
    let out = '';
    if (dgst !== this.current) {
      if (this.current) {
        const old = this.byDigest.get(this.current)!;
        if (old.logsPartial) out += '\n';
        old.logsOffset = 0;
        out += `#${old.index} ...\n`;
      }
      if (this.notFirst) out += '\n';
      else this.notFirst = true;
      out += `#${v.index} ${v.v.name}\n`;
    }
    for (const s of v.statuses) {
      if (!v.statusUpdates.has(s.ID)) continue;
      const ts = ms(s.timestamp) ?? 0;
      if (s.printed && !s.completed) {
        const delta = s.total > 0 ? (s.current - s.printed.current) / s.total : 0;
        if (delta < 0.05 && ts - s.printed.ts < 5000) continue;
      }
      s.printed = { current: s.current, ts };
      let bytes = '';
      if (s.total !== 0) bytes = ` ${unitBytes(s.current)} / ${unitBytes(s.total)}`;
      else if (s.current !== 0) bytes = ` ${unitBytes(s.current)}`;
      let tm = '';
      const end = s.completed ? ms(s.completed)! : ts;
      if (s.started) {
        const diff = (end - ms(s.started)!) / 1000;
        if (diff > 0.01) tm = ` ${diff.toFixed(1)}s`;
      }
      if (s.completed) tm += ' done';
      out += `#${v.index} ${s.ID}${bytes}${tm}\n`;
    }
    v.statusUpdates.clear();
    v.logs.forEach((l, i) => {
      out += i === 0 ? l.slice(v.logsOffset) : l;
      if (i !== v.logs.length - 1 || !v.logsPartial) out += '\n';
    });
    if (v.logs.length) {
      if (v.logsPartial) {
        v.logs = v.logs.slice(-1);
        v.logsOffset = v.logs[0].length;
      } else {
        v.logs = [];
        v.logsOffset = 0;
      }
    }
    this.current = dgst;
    if (v.v.completed) {
      this.current = '';
      if (v.v.error) {
        if (v.logsPartial) out += '\n';
        if (v.v.error.endsWith('context canceled')) out += `#${v.index} CANCELED\n`;
        else out += `#${v.index} ERROR: ${v.v.error}\n`;
      } else if (v.v.cached) out += `#${v.index} CACHED\n`;
      else {
        const tm = v.v.started ? ` ${((ms(v.v.completed)! - ms(v.v.started)!) / 1000).toFixed(1)}s` : '';
        out += `#${v.index} DONE${tm}\n`;
      }
    }
    this.updates.delete(dgst);
    if (out) this.write(out);
  }

  private print(): void {
    const completed: string[] = [];
    const rest: string[] = [];
    for (const d of this.updates) {
      const v = this.byDigest.get(d);
      if (!v) continue;
      if (v.v.completed) completed.push(d);
      else rest.push(d);
    }
    const current = this.current;
    if (completed.includes(current)) this.printVtx(current);
    completed.sort((a, b) => ms(this.byDigest.get(a)!.v.completed)! - ms(this.byDigest.get(b)!.v.completed)!);
    for (const d of completed) if (d !== current) this.printVtx(d);
    if (!rest.length) {
      if (current) {
        const v = this.byDigest.get(current)!;
        if (v.v.started && !v.v.completed) return;
      }
      for (const [d, v] of this.byDigest) {
        if (v.v.started && !v.v.completed) {
          this.printVtx(d);
          return;
        }
      }
      return;
    }
    if (rest.includes(current)) this.printVtx(current);
    // no block open: the busiest of the others; an open block keeps the output unless it has been
    // quiet for the anti-flicker time (5 s)
    const now = Date.now();
    const open = this.current ? this.byDigest.get(this.current) : undefined;
    if (open && !open.v.completed && now - (this.seen.get(this.current) ?? now) < 5000) return;
    const others = rest.filter((d) => d !== this.current);
    if (others.length) this.printVtx(others[0]);
  }

  /** after the build: what is left, then a box for each failed step (its logs were already shown, as docker 20.10's client prints it) */
  finish(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.print();
    for (const d of [...this.updates]) if (this.byDigest.get(d)?.v.started) this.printVtx(d);
    let out = '';
    for (const v of this.order) {
      if (v.v.error && !v.v.error.endsWith('context canceled')) {
        out += `------\n > ${v.v.name}:\n`;
        out += '------\n';
      }
    }
    if (out) this.write(out);
  }
}

/** Go's time.Time in JSON (RFC3339Nano, UTC as buildkit's client converts the protobuf time stamps) */
export function goTimeJSON(t: { seconds: number; nanos: number } | undefined): string {
  const s = Number(t?.seconds ?? -62135596800);
  const n = t?.nanos ?? 0;
  const d = new Date(s * 1000);
  const y = d.getUTCFullYear();
  const p = (x: number, w = 2): string => String(x).padStart(w, '0');
  const frac = n ? '.' + String(n).padStart(9, '0').replace(/0+$/, '') : '';
  return `${p(y, 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}T${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}${frac}Z`;
}

/** a string as Go's encoding/json writes it (<, >, & and the line separators escaped) */
function goString(s: string): string {
  return JSON.stringify((s as unknown as { toWellFormed(): string }).toWellFormed()).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

/**
 * --progress=rawjson: one line per status message, buildx's progressui rawJSONDisplay (a json.Encoder
 * of buildkit's client.SolveStatus: its field names and order, omitempty, times as RFC3339Nano, log
 * data as base64).
 */
export function rawJSON(st: StatusResponse): string {
  const obj = (fields: [string, string | undefined][]): string => '{' + fields.filter((f) => f[1] !== undefined).map(([k, v]) => `"${k}":${v}`).join(',') + '}';
  const str = (s: string | undefined): string | undefined => (s ? goString(s) : undefined);
  const num = (x: number | undefined): string | undefined => (x ? String(x) : undefined);
  const time = (t: { seconds: number; nanos: number } | undefined | null): string | undefined => (t ? goString(goTimeJSON(t)) : undefined);
  const list = (xs: string[]): string | undefined => (xs.length ? '[' + xs.join(',') + ']' : undefined);
  const vertexes = list(
    (st.vertexes ?? []).map((v) =>
      obj([
        ['digest', str(v.digest)],
        ['inputs', list((v.inputs ?? []).map((i) => goString(i)))],
        ['name', str(v.name)],
        ['started', time(v.started)],
        ['completed', time(v.completed)],
        ['cached', v.cached ? 'true' : undefined],
        ['error', str(v.error)],
      ]),
    ),
  );
  const statuses = list(
    (st.statuses ?? []).map((s) =>
      obj([
        ['id', goString(s.ID ?? '')],
        ['vertex', str(s.vertex)],
        ['name', str(s.name)],
        ['total', num(Number(s.total))],
        ['current', String(Number(s.current ?? 0))],
        ['timestamp', goString(goTimeJSON(s.timestamp ?? undefined))],
        ['started', time(s.started)],
        ['completed', time(s.completed)],
      ]),
    ),
  );
  const logs = list(
    (st.logs ?? []).map((l) =>
      obj([
        ['vertex', str(l.vertex)],
        ['stream', num(Number(l.stream))],
        ['data', l.msg && l.msg.length ? `"${Buffer.from(l.msg).toString('base64')}"` : 'null'],
        ['timestamp', goString(goTimeJSON(l.timestamp ?? undefined))],
      ]),
    ),
  );
  return obj([
    ['vertexes', vertexes],
    ['statuses', statuses],
    ['logs', logs],
  ]) + '\n';
}
