/**
 * `compose --dry-run`: compose's DryRunClient (pkg/api/dryrunclient.go). Reads go to the engine;
 * what would change it (create, start, stop, remove, rename, connect, pull, build…) answers as the
 * engine would without doing it, so the command prints the events it would print.
 */
import { Readable } from 'node:stream';
import type { IncomingMessage } from 'node:http';
import type { EngineClient as Engine, RequestOptions } from '../../cli/engine-client.js';
import { StatusError } from '../../cli/errors.js';

export function dryRunEngine(real: Engine): Engine {
  const created = new Set<string>();
  let pulled = false;
  const read = (o: RequestOptions): boolean => (o.method ?? 'GET') === 'GET' || o.method === 'HEAD';
  return {
    get endpoint() {
      return real.endpoint;
    },
    get apiVersion() {
      return real.apiVersion;
    },
    get serverApiVersion() {
      return real.serverApiVersion;
    },
    async json<T = any>(o: RequestOptions): Promise<T> {
      if (read(o)) {
        try {
          return await real.json<T>(o);
        } catch (e) {
          const c = /^\/containers\/([^/]+)\/json$/.exec(o.path);
          if (c && created.has(decodeURIComponent(c[1]))) {
            const n = decodeURIComponent(c[1]);
            return { Id: n, Name: `/${n}`, State: { Status: 'running', Running: true, Health: { Status: 'healthy' } }, Config: {}, Mounts: [], NetworkSettings: {} } as T;
          }
          if (pulled && /^\/images\/[^/]+\/json$/.test(o.path)) return { Id: 'dryRunId' } as T;
          throw e;
        }
      }
      if (o.path === '/containers/create') {
        const n = String(o.query?.name ?? 'dryRunId');
        created.add(n);
        return { Id: n } as T;
      }
      if (/^\/containers\/[^/]+\/wait$/.test(o.path)) return { StatusCode: 0 } as T;
      if (o.path === '/networks/create') return { Id: 'dryRunId' } as T;
      if (o.path === '/volumes/create') return { Name: (o.body as any)?.Name } as T;
      return {} as T;
    },
    async text(o: RequestOptions): Promise<string> {
      return read(o) ? real.text(o) : '';
    },
    async stream(o: RequestOptions): Promise<IncomingMessage> {
      if (read(o)) return real.stream(o);
      if (o.path === '/images/create') pulled = true;
      return Readable.from([]) as unknown as IncomingMessage;
    },
    error: (e: unknown) => real.error(e),
    hijack: async () => {
      throw new StatusError('interactive run is not supported in dry-run mode', 1);
    },
    // a POST (a container's wait) changes nothing, but no container was made: answered as json's
    streamBody: async (path, query, method) =>
      method === 'POST' ? { body: Readable.from([Buffer.from('{"StatusCode":0}\n')]), headers: {} } : real.streamBody(path, query),
    dialRaw: () => real.dialRaw(),
  };
}
