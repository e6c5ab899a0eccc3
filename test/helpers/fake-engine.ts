/**
 * A fake EngineClient answering from recorded engine exchanges (test/golden/cli/engine.json, made by
 * test/golden/record-cli.mjs): commands run in-process against the same answers docker 28 was given.
 * A request matches a recorded one by method, path (without the version prefix) and query, compared as
 * values (filters as sets, `true` as `1`); failing that, with the default-valued parameters dropped
 * (`size=0`). A request nothing matches throws, naming the ones recorded for its path, so a command that
 * asks the engine something docker does not ask fails its golden.
 */
import { PassThrough, Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { EngineClient, RequestOptions } from '../../src/cli/engine-client.js';
import type { Endpoint } from '../../src/cli/endpoint.js';
import { DaemonError, daemonMessage, toEngineError } from '../../src/engine/errors.js';

export interface Exchange {
  /** "GET /containers/json?all=1&filters=..." (the query as docker sent it) */
  key: string;
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
}

type Query = Map<string, string>;

function canonical(k: string, v: string): string {
  if (k === 'filters') {
    try {
      const f = JSON.parse(v) as Record<string, string[] | Record<string, boolean>>;
      const o: Record<string, string[]> = {};
      for (const key of Object.keys(f).sort()) {
        const vals = Array.isArray(f[key]) ? (f[key] as string[]) : Object.keys(f[key]).filter((x) => (f[key] as Record<string, boolean>)[x]);
        if (vals.length) o[key] = [...vals].sort();
      }
      return Object.keys(o).length ? JSON.stringify(o) : '';
    } catch {
      return v;
    }
  }
  if (v === 'true') return '1';
  if (v === 'false') return '0';
  return v;
}

function parseQuery(search: string): Query {
  const q: Query = new Map();
  for (const [k, v] of new URLSearchParams(search)) q.set(k, canonical(k, v));
  return q;
}

function ofOptions(query: RequestOptions['query']): Query {
  const q: Query = new Map();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined) continue;
    q.set(k, canonical(k, typeof v === 'object' ? JSON.stringify(v) : String(v)));
  }
  return q;
}

function same(a: Query, b: Query, loose: boolean): boolean {
  const drop = (q: Query): Query => (loose ? new Map([...q].filter(([, v]) => v !== '' && v !== '0')) : q);
  const x = drop(a);
  const y = drop(b);
  if (x.size !== y.size) return false;
  for (const [k, v] of x) if (y.get(k) !== v) return false;
  return true;
}

/** a path as its segments say it (docker's client leaves `:` unescaped, encodeURIComponent does not) */
function decodePath(p: string): string {
  return p.split('/').map((s) => decodeURIComponent(s)).join('/');
}

export class FakeEngine implements EngineClient {
  readonly apiVersion: string;
  readonly serverApiVersion: string | undefined;
  /** every request made, as "METHOD path?query" */
  readonly requests: string[] = [];
  private readonly byPath = new Map<string, { method: string; query: Query; x: Exchange }[]>();

  constructor(
    exchanges: Exchange[],
    readonly endpoint: Endpoint,
  ) {
    for (const x of exchanges) {
      const [method, rest] = x.key.split(' ');
      const i = rest.indexOf('?');
      const path = decodePath(i < 0 ? rest : rest.slice(0, i));
      const list = this.byPath.get(path) ?? [];
      list.push({ method, query: parseQuery(i < 0 ? '' : rest.slice(i + 1)), x });
      this.byPath.set(path, list);
    }
    const ping = this.byPath.get('/_ping')?.[0]?.x.headers['api-version'];
    this.serverApiVersion = typeof ping === 'string' ? ping : undefined;
    this.apiVersion = this.serverApiVersion && Number(this.serverApiVersion) < 1.5 ? this.serverApiVersion : '1.50';
  }

  private find(o: RequestOptions): Exchange {
    const method = o.method ?? 'GET';
    const q = ofOptions(o.query);
    const path = decodePath(o.path.replace(/\/{2,}/g, '/'));
    const shown = `${method} ${path}?${new URLSearchParams([...q]).toString()}`;
    this.requests.push(shown);
    const list = (this.byPath.get(path) ?? []).filter((c) => c.method === method);
    const hit = list.find((c) => same(c.query, q, false)) ?? list.find((c) => same(c.query, q, true));
    if (!hit) throw new Error(`fake engine: no recorded answer for ${shown} (recorded: ${list.map((c) => c.x.key).join(', ') || 'none'})`);
    return hit.x;
  }

  private answer(o: RequestOptions): Exchange {
    const x = this.find(o);
    if (x.status >= 400 && !(o.okStatus ?? []).includes(x.status)) {
      let json: unknown = x.body;
      try {
        json = JSON.parse(x.body);
      } catch {
        json = x.body;
      }
      throw new DaemonError(daemonMessage(json, `HTTP ${x.status}`), x.status);
    }
    return x;
  }

  async json<T = any>(o: RequestOptions): Promise<T> {
    const x = this.answer(o);
    return (x.body.trim() === '' ? undefined : JSON.parse(x.body)) as T;
  }

  async text(o: RequestOptions): Promise<string> {
    return this.answer(o).body;
  }

  async stream(o: RequestOptions): Promise<IncomingMessage> {
    const x = this.answer(o);
    const r = Readable.from([Buffer.from(x.body)]) as Readable & { statusCode?: number; headers?: Record<string, unknown> };
    r.statusCode = x.status;
    r.headers = x.headers;
    return r as unknown as IncomingMessage;
  }

  async streamBody(path: string, query: Record<string, string | undefined>, method: 'GET' | 'POST' = 'GET'): Promise<{ body: Readable; headers: Record<string, string | string[] | undefined> }> {
    const x = this.answer({ method, path, query });
    return { body: Readable.from([Buffer.from(x.body)]), headers: x.headers };
  }

  error(e: unknown): Error {
    return toEngineError(e, this.endpoint);
  }

  hijack(path: string): Promise<Socket> {
    return Promise.reject(new Error(`fake engine: no hijacked connections (${path})`));
  }

  dialRaw(): Promise<Duplex> {
    return Promise.resolve(new PassThrough());
  }
}
