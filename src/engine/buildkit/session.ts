/**
 * A BuildKit session: POST /session upgraded to h2c, on which the engine is the gRPC client and we
 * serve the session's services (file sync of the context and Dockerfile, registry credentials,
 * secrets). The engine learns which methods we serve from the X-Docker-Expose-Session-Grpc-Method
 * headers.
 */
import { randomBytes } from 'node:crypto';
import { Duplex } from 'node:stream';
import { join } from 'node:path';
import { fileChunks, receiveDiffCopy, walkTree } from './fssync.js';
import { PacketType, type } from './proto.js';

export interface SyncedDir {
  dir: string;
  /** the client's own exclude patterns (.dockerignore), unless the builder overrides them */
  excludes?: string[];
}

export interface SessionOptions {
  /** names the engine's cache of synced directories: the same key reuses what was sent before */
  sharedKey: string;
  dirs: Record<string, SyncedDir>;
  credentials?: (host: string) => { Username: string; Secret: string };
  secrets?: Record<string, () => Buffer>;
  /** where the exporter's files come back (--output): a directory, or a stream for a tar */
  target?: { dir: string } | { write: (b: Buffer) => Promise<void>; close: () => Promise<void> };
}

export interface Session {
  id: string;
  close(): void;
  /** what went wrong on the client's side of the session (writing the exported files) */
  failures: Error[];
}

function randomID(): string {
  // docker's identity.NewID: 25 base-36 characters
  const b = randomBytes(32);
  let n = BigInt('0x' + b.toString('hex'));
  let s = '';
  while (s.length < 25) {
    s += (n % 36n).toString(36);
    n /= 36n;
  }
  return s;
}

function grpcMethod(path: string, reqType: string, resType: string, clientStream: boolean, serverStream: boolean): any {
  const req = type(reqType);
  const res = type(resType);
  return {
    path,
    requestStream: clientStream,
    responseStream: serverStream,
    requestSerialize: (v: any) => Buffer.from(req.encode(req.fromObject(v)).finish()),
    requestDeserialize: (b: Buffer) => req.toObject(req.decode(b), { longs: Number, defaults: true }),
    responseSerialize: (v: any) => Buffer.from(res.encode(res.fromObject(v)).finish()),
    responseDeserialize: (b: Buffer) => res.toObject(res.decode(b), { longs: Number, defaults: true }),
  };
}

function metaList(call: any, key: string): string[] | undefined {
  const v = call.metadata.get(key) as (string | Buffer)[];
  if (!v.length) return undefined;
  // gRPC metadata carries a list as repeated values; some clients join them with commas
  return v.flatMap((x) => String(x).split(',')).map((s) => s.trim());
}

/** how many bytes a DiffCopy sender has written and not yet seen on the connection before it waits */
const IN_FLIGHT = 4 << 20;

/**
 * grpc-js's call stream hands its messages to HTTP/2 one at a time, each after the previous one reached
 * the connection (an event-loop turn apiece over the session's JS socket): messages buffered behind one
 * another are handed over together instead, as HTTP/2's stream takes them (its own writev), in order.
 */
function pipelined(call: any): void {
  if (typeof call._write !== 'function') return;
  call._writev = (chunks: { chunk: unknown; encoding: BufferEncoding }[], cb: (e?: Error | null) => void): void => {
    let left = chunks.length;
    let failed = false;
    for (const c of chunks)
      call._write(c.chunk, c.encoding, (e?: Error | null) => {
        if (failed) return;
        if (e) {
          failed = true;
          cb(e);
        } else if (--left === 0) cb();
      });
  };
}

/** DiffCopy's sending side for one synced directory */
function serveDiffCopy(o: SessionOptions): (call: any) => void {
  return (call: any) => {
    const name = metaList(call, 'dir-name')?.[0] ?? '';
    const d = o.dirs[name];
    if (!d) {
      call.destroy(Object.assign(new Error(`no access allowed to dir "${name}"`), { code: 5 }));
      return;
    }
    const override = metaList(call, 'override-excludes')?.[0] === 'true';
    let excludes = metaList(call, 'exclude-patterns') ?? [];
    if (d.excludes?.length && !override) excludes = d.excludes;
    // fsutil lists the follow paths (and what they link to) as includes too
    const follow = metaList(call, 'followpaths');
    const inc = metaList(call, 'include-patterns');
    const includes = inc || follow ? [...(inc ?? []), ...(follow ?? [])] : [];
    const files = new Map<number, string>();
    const queue: number[] = [];
    let sending = false;
    pipelined(call);
    // bytes written and not yet on the connection: the senders wait while there are IN_FLIGHT of them
    let inFlight = 0;
    const waiting: (() => void)[] = [];
    const send = (p: any): Promise<void> => {
      const n = (p.data?.length ?? 0) + 64;
      inFlight += n;
      call.write(p, () => {
        inFlight -= n;
        if (inFlight < IN_FLIGHT / 2) for (const w of waiting.splice(0)) w();
      });
      if (inFlight < IN_FLIGHT) return Promise.resolve();
      return new Promise((resolve) => waiting.push(resolve));
    };
    const pump = async (): Promise<void> => {
      if (sending) return;
      sending = true;
      try {
        while (queue.length) {
          const id = queue.shift()!;
          const path = files.get(id);
          files.delete(id);
          if (path === undefined) continue;
          try {
            for (const chunk of fileChunks(join(d.dir, path))) await send({ type: PacketType.DATA, ID: id, data: chunk });
          } catch {
            // an unreadable file ends empty, as fsutil's sender does when Open fails
          }
          await send({ type: PacketType.DATA, ID: id });
        }
      } finally {
        sending = false;
      }
    };
    call.on('data', (p: any) => {
      if (p.type === PacketType.REQ) {
        queue.push(p.ID);
        void pump();
      } else if (p.type === PacketType.FIN) {
        const fin = async (): Promise<void> => {
          while (sending || queue.length) await new Promise((r) => setTimeout(r, 5));
          call.write({ type: PacketType.FIN });
          call.end();
        };
        void fin();
      } else if (p.type === PacketType.ERR) {
        call.end();
      }
    });
    call.on('error', () => undefined);
    (async () => {
      const entries = await walkTree(d.dir, { excludes, includes });
      let i = 0;
      for (const e of entries) {
        if (((e.mode & 0x8f000000) >>> 0) === 0 && !(e.mode & 0x00200000)) files.set(i, e.path);
        i++;
        await send({ type: PacketType.STAT, stat: e });
      }
      await send({ type: PacketType.STAT });
    })().catch((e: Error) => {
      call.write({ type: PacketType.ERR, data: Buffer.from(e.message) });
      call.end();
    });
  };
}

const METHODS = {
  diffCopy: '/moby.filesync.v1.FileSync/DiffCopy',
  credentials: '/moby.filesync.v1.Auth/Credentials',
  secret: '/moby.buildkit.secrets.v1.Secrets/GetSecret',
  fileSend: '/moby.filesync.v1.FileSend/DiffCopy',
  health: '/grpc.health.v1.Health/Check',
};

/** FileSend's DiffCopy: the exported files as fsutil packets into a directory, or a tar as bytes */
function serveFileSend(t: NonNullable<SessionOptions['target']>, failures: Error[]): (call: any) => void {
  return (call: any) => {
    if ('dir' in t) {
      receiveDiffCopy(call, t.dir, (e) => {
        if (e) failures.push(e);
      });
      return;
    }
    let chain = Promise.resolve();
    call.on('data', (m: any) => {
      const b = Buffer.from(m.data ?? []);
      chain = chain.then(() => t.write(b));
    });
    call.on('end', () => {
      chain = chain
        .then(() => t.close())
        .catch((e: Error) => {
          failures.push(e);
        })
        .finally(() => call.end());
    });
    call.on('error', () => undefined);
  };
}

/**
 * The connection after the upgrade as a JS duplex (the bytes already read come first): node's http2
 * then reads through JS, never from the socket's handle, so nothing read with the answer's head is lost.
 */
function overSocket(sock: Duplex, first: Buffer): Duplex {
  let corked = false;
  const d = new Duplex({
    read: () => {
      sock.resume();
    },
    write: (c: Buffer, _e, cb) => {
      // the many small frames of a sync written out together (Go's gRPC buffers its writes too)
      if (!corked) {
        corked = true;
        sock.cork();
        setImmediate(() => {
          corked = false;
          sock.uncork();
        });
      }
      sock.write(c);
      cb();
    },
    final: (cb) => {
      sock.end();
      cb();
    },
    destroy: (e, cb) => {
      sock.destroy();
      cb(e);
    },
  });
  if (first.length) d.push(first);
  sock.on('data', (c: Buffer) => {
    if (!d.push(c)) sock.pause();
  });
  sock.on('end', () => d.push(null));
  sock.on('error', (e) => d.destroy(e));
  sock.on('close', () => d.destroy());
  return d;
}

/** open the session's connection: the upgrade request written by hand, the rest handed to gRPC */
function dialUpgrade(engine: SessionEngine, headers: Record<string, string | string[]>): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    engine.dialRaw().then((sock) => {
      sock.once('error', reject);
      const lines = [`POST /v${engine.apiVersion}/session HTTP/1.1`, 'Host: api.moby.localhost', 'Connection: Upgrade', 'Upgrade: h2c', 'Content-Length: 0'];
      for (const [k, v] of Object.entries(headers)) for (const x of Array.isArray(v) ? v : [v]) lines.push(`${k}: ${x}`);
      sock.write(lines.join('\r\n') + '\r\n\r\n');
      let head = Buffer.alloc(0);
      const onData = (c: Buffer): void => {
        head = Buffer.concat([head, c]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        sock.off('data', onData);
        sock.pause();
        const status = Number(/^HTTP\/1\.\d (\d+)/.exec(head.toString('latin1'))?.[1]);
        if (status !== 101) {
          sock.destroy();
          reject(new Error(`failed to start the build session: ${head.subarray(0, end).toString().split('\r\n')[0]}`));
          return;
        }
        sock.off('error', reject);
        resolve(overSocket(sock, head.subarray(end + 4)));
      };
      sock.on('data', onData);
    }, reject);
  });
}

/** what a session needs of the engine client */
export interface SessionEngine {
  apiVersion: string;
  dialRaw(): Promise<Duplex>;
}

export async function startSession(engine: SessionEngine, o: SessionOptions): Promise<Session> {
  const grpc = await import('@grpc/grpc-js');
  const id = randomID();
  const server = new grpc.Server();
  const services: Record<string, any> = {
    DiffCopy: grpcMethod(METHODS.diffCopy, 'Packet', 'Packet', true, true),
  };
  const impl: Record<string, any> = { DiffCopy: serveDiffCopy(o) };
  const exposed = [METHODS.diffCopy];
  server.addService({ DiffCopy: services.DiffCopy }, { DiffCopy: impl.DiffCopy });
  server.addService(
    { Credentials: grpcMethod(METHODS.credentials, 'CredentialsRequest', 'CredentialsResponse', false, false) },
    {
      Credentials: (call: any, cb: any) => cb(null, o.credentials?.(call.request.Host) ?? {}),
    },
  );
  exposed.push(METHODS.credentials);
  server.addService(
    { GetSecret: grpcMethod(METHODS.secret, 'GetSecretRequest', 'GetSecretResponse', false, false) },
    {
      GetSecret: (call: any, cb: any) => {
        const f = o.secrets?.[call.request.ID];
        if (!f) return cb(Object.assign(new Error(`secret ${call.request.ID} not found`), { code: 5 }));
        try {
          cb(null, { data: f() });
        } catch (e) {
          cb(Object.assign(new Error((e as Error).message), { code: 13 }));
        }
      },
    },
  );
  exposed.push(METHODS.secret);
  // the engine's health check, every second: without an answer it drops the session
  server.addService({ Check: grpcMethod(METHODS.health, 'HealthCheckRequest', 'HealthCheckResponse', false, false) }, { Check: (_call: any, cb: any) => cb(null, { status: 1 }) });
  const failures: Error[] = [];
  if (o.target) {
    const dir = 'dir' in o.target;
    server.addService({ DiffCopy: grpcMethod(METHODS.fileSend, dir ? 'Packet' : 'BytesMessage', dir ? 'Packet' : 'BytesMessage', true, true) }, { DiffCopy: serveFileSend(o.target, failures) });
    exposed.push(METHODS.fileSend);
  }
  const sock = await dialUpgrade(engine, {
    'X-Docker-Expose-Session-Uuid': id,
    'X-Docker-Expose-Session-Name': 'tdocker',
    'X-Docker-Expose-Session-Sharedkey': o.sharedKey,
    'X-Docker-Expose-Session-Grpc-Method': exposed,
  });
  const injector = (server as any).createConnectionInjector(grpc.ServerCredentials.createInsecure());
  injector.injectConnection(sock);
  return {
    id,
    failures,
    close: () => {
      server.forceShutdown();
      sock.destroy();
    },
  };
}
