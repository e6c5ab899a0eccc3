/**
 * The engine's hijacked connections (attach, exec start): an HTTP upgrade to a raw duplex stream.
 * Done here rather than through docker-modem, whose chunked request body would reach the
 * container's stdin. Long streamed answers (logs, cp's archive) are read the same way.
 *
 * Over a unix socket or plain TCP the request is written and its answer read on a socket of our own,
 * opened with `onread`: each read lands in a region of its own that is handed straight to the socket's
 * 'data' listeners, without the Readable machinery a socket otherwise runs per read (a container
 * writing short lines means thousands of reads). pause()/resume() and 'end' behave as usual.
 * TLS endpoints go through node's https upgrade.
 */
import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { Engine } from './client.js';
import { DaemonError, daemonMessage, ConnectError, hijackDialError } from './errors.js';
import { markOwnReads } from '../stream/demux.js';
import { StatusError, UnexpectedEOF } from '../cli/errors.js';

import { cleanPath } from '../go/path.js';
const USER_AGENT = 'Docker-Client/28.2.2 (linux)';
const READ_SIZE = 64 * 1024;
const SLAB_SIZE = 1024 * 1024;
/** the answer's headers (lower-case names), for a rawRequest's socket */
const answerHeaders = new WeakMap<Socket, Record<string, string>>();

/**
 * Read buffers carved one after the other out of 1 MB slabs: each read gets the slab's unused rest
 * (at least 64 KB), and the next read starts where its data ended. One allocation per megabyte read
 * instead of one per read; every chunk handed on is its own region, never reused.
 */
function slabReader(onChunk: (chunk: Buffer) => boolean): { buffer: () => Buffer; callback: (n: number, buf: Buffer) => boolean; release: () => void } {
  let slab = Buffer.allocUnsafe(SLAB_SIZE);
  let used = 0;
  let released = false;
  return {
    buffer: () => {
      if (SLAB_SIZE - used < READ_SIZE) {
        slab = Buffer.allocUnsafe(SLAB_SIZE);
        used = 0;
      }
      return slab.subarray(used);
    },
    callback: (n, buf) => {
      released = false;
      const more = onChunk(buf.subarray(0, n));
      // a chunk given back while it was delivered (its bytes all written through) is read over
      if (!released) used += n;
      released = false;
      return more;
    },
    release: () => {
      released = true;
    },
  };
}

export function hijack(engine: Engine, path: string, query: Record<string, string>, body?: unknown): Promise<Socket> {
  const modem = engine.modem;
  const qs = new URLSearchParams(query).toString();
  const fullPath = `/v${engine.apiVersion}${cleanPath(path)}${qs ? '?' + qs : ''}`;
  const data = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string> = {
    Connection: 'Upgrade',
    Upgrade: 'tcp',
    'Content-Type': body === undefined ? 'text/plain' : 'application/json',
    'Content-Length': String(Buffer.byteLength(data)),
    'User-Agent': USER_AGENT,
  };
  if (modem.protocol === 'https') return hijackTLS(engine, fullPath, headers, data);
  return rawRequest(engine, 'POST', fullPath, headers, data, true);
}

/**
 * A streamed answer (GET: logs, cp's archive; POST: a container's wait) as a socket that delivers
 * the body. Over TLS, node's https request (an IncomingMessage) stands in.
 */
export async function streamBody(engine: Engine, path: string, query: Record<string, string | undefined>, method: 'GET' | 'POST' = 'GET'): Promise<{ body: Readable; headers: Record<string, string | string[] | undefined> }> {
  if (engine.modem.protocol === 'https') {
    const res = await engine.stream({ method, path, query });
    return { body: res, headers: res.headers };
  }
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, v);
  const qs = q.toString();
  const headers = { 'User-Agent': USER_AGENT, Connection: 'close' };
  const socket = await rawRequest(engine, method, `/v${engine.apiVersion}${cleanPath(path)}${qs ? '?' + qs : ''}`, headers, '', false);
  return { body: socket, headers: answerHeaders.get(socket) ?? {} };
}

/**
 * An HTTP/1.1 response body read from the socket's own read regions: chunked transfer encoding is
 * undone in place (each chunk's data moved down over the size lines), a Content-Length is counted.
 */
export class BodyReader {
  done = false;
  private readonly chunked: boolean;
  private remaining: number;
  // chunked: 'size' (reading the size line), 'data' (remaining bytes), 'crlf' (bytes to skip), 'trailer'
  private state: 'size' | 'data' | 'crlf' | 'trailer' = 'size';
  // the size line read so far: its value, whether it had a digit, whether the digits ended (an
  // extension ";name=value" or blanks follow), whether a byte that belongs in none was seen
  private size = 0;
  private digits = false;
  private ext = false;
  private bad = false;
  private skip = 0;

  constructor(headers: Record<string, string>) {
    this.chunked = /chunked/i.test(headers['transfer-encoding'] ?? '');
    this.remaining = headers['content-length'] !== undefined ? Number(headers['content-length']) : Infinity;
    if (!this.chunked && this.remaining === 0) this.done = true;
  }

  /**
   * The body bytes in b (b is changed: the result is a region of it). The size lines are read byte by
   * byte, without strings: the engine makes a chunk of every log frame, so a log of short lines is
   * millions of them.
   */
  read(b: Buffer): Buffer {
    if (this.done) return b.subarray(0, 0);
    if (!this.chunked) {
      const n = Math.min(b.length, this.remaining);
      this.remaining -= n;
      if (this.remaining === 0) this.done = true;
      return b.subarray(0, n);
    }
    let w = 0;
    let i = 0;
    const len = b.length;
    while (i < len && !this.done) {
      switch (this.state) {
        case 'size': {
          let c = 0;
          while (i < len) {
            c = b[i++];
            if (c === 10) break;
            if (this.ext || c === 13) continue;
            // 0-9, a-f, A-F
            const d = c >= 48 && c <= 57 ? c - 48 : (c | 0x20) >= 97 && (c | 0x20) <= 102 ? (c | 0x20) - 87 : -1;
            if (d >= 0) {
              this.size = this.size * 16 + d;
              this.digits = true;
            } else if (c === 0x3b || c === 0x20 || c === 0x09) this.ext = true;
            else this.bad = true;
          }
          if (c !== 10) break;
          const size = this.size;
          const ok = this.digits && !this.bad;
          this.size = 0;
          this.digits = this.ext = this.bad = false;
          if (!ok || size === 0) {
            this.state = 'trailer';
            this.done = true;
          } else {
            this.state = 'data';
            this.remaining = size;
          }
          break;
        }
        case 'data': {
          const n = Math.min(this.remaining, b.length - i);
          if (w !== i) b.copyWithin(w, i, i + n);
          w += n;
          i += n;
          this.remaining -= n;
          if (this.remaining === 0) {
            this.state = 'crlf';
            this.skip = 2;
          }
          break;
        }
        case 'crlf': {
          const n = Math.min(this.skip, b.length - i);
          i += n;
          this.skip -= n;
          if (this.skip === 0) this.state = 'size';
          break;
        }
        default:
          i = b.length;
      }
    }
    return b.subarray(0, w);
  }
}

/**
 * The engine's answer when it did not give the one asked for. A hijack (attach, exec start) that was
 * not upgraded is docker's `unable to upgrade to tcp, received 400` whatever the body says (moby's
 * setupHijackConn); a streamed answer's error is the engine's message.
 */
function notUpgraded(status: number, text: string, upgrade = false): Error {
  if (upgrade) return new StatusError(`unable to upgrade to tcp, received ${status}`, 1);
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // plain text
  }
  if (status >= 400) return new DaemonError(daemonMessage(json, text.trim()), status);
  return new ConnectError('the engine did not upgrade the connection');
}

/**
 * A request on a socket of our own. With `upgrade`, a 101 answer makes the socket the raw stream;
 * otherwise a 2xx answer's body is what the socket delivers (de-chunked in place, in the read's own
 * region: no object per HTTP chunk, and the engine makes one of every log frame).
 */
function rawRequest(engine: Engine, method: string, fullPath: string, headers: Record<string, string>, data: string, upgrade: boolean): Promise<Socket> {
  const modem = engine.modem;
  return new Promise((resolve, reject) => {
    let upgraded = false;
    let settled = false;
    let head: Buffer[] = [];
    let status = 0;
    let responseHeaders: Record<string, string> | undefined;
    // the body of an answer that is not the one asked for: the engine's error message
    const answer: Buffer[] = [];
    const failWithAnswer = (): void => fail(notUpgraded(status, Buffer.concat(answer).toString('utf8'), upgrade));
    const fail = (e: Error): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      reject(e);
    };
    // after the upgrade: chunks go to the 'data' listeners; until there are some, they wait (and
    // reading stops; adding a 'data' listener resumes it)
    let pending: Buffer[] = [];
    const deliver = (chunk: Buffer): boolean => {
      if (pending.length || socket.listenerCount('data') === 0) {
        pending.push(chunk);
        return false;
      }
      socket.emit('data', chunk);
      return true;
    };
    let body: BodyReader | undefined;
    const onRead = (chunk: Buffer): boolean => {
      if (upgraded) {
        if (!body) return deliver(chunk);
        const out = body.read(chunk);
        if (body.done) socket.end();
        return out.length ? deliver(out) : true;
      }
      if (body) {
        answer.push(body.read(chunk));
        if (body.done) failWithAnswer();
        return true;
      }
      head.push(chunk);
      const all = head.length === 1 ? chunk : Buffer.concat(head);
      head = [all];
      const end = all.indexOf('\r\n\r\n');
      if (end < 0) return true;
      const lines = all.subarray(0, end).toString('latin1').split('\r\n');
      status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1] ?? 0);
      responseHeaders = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) responseHeaders[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      let rest = all.subarray(end + 4);
      head = [];
      if (!(upgrade ? status === 101 : status >= 200 && status < 300)) {
        body = new BodyReader(responseHeaders);
        answer.push(body.read(rest));
        if (body.done) failWithAnswer();
        return true;
      }
      upgraded = true;
      settled = true;
      answerHeaders.set(socket, responseHeaders);
      if (!upgrade) {
        const reader = (body = new BodyReader(responseHeaders));
        rest = reader.read(rest);
        if (reader.done) socket.end();
        // the connection ended before the answer did (the engine died, the connection was cut):
        // docker's `unexpected EOF`, reported before the readers see the end
        socket.prependListener('end', () => {
          if (reader.done || socket.listenerCount('error') === 0) return;
          socket.emit('error', new UnexpectedEOF());
          socket.destroy();
        });
      }
      socket.on('newListener', (event) => {
        if (event !== 'data') return;
        process.nextTick(() => {
          const queued = pending;
          pending = [];
          for (const c of queued) socket.emit('data', c);
        });
      });
      resolve(socket);
      // bytes that came with the answer wait for the caller's listeners
      return rest.length ? deliver(rest) : true;
    };
    const opts = modem.socketPath
      ? { path: modem.socketPath as string }
      : { host: modem.host as string, port: Number(modem.port) };
    const reader = slabReader(onRead);
    const socket = connect({ ...opts, onread: reader });
    // given back only by the one reader of the socket (a second 'data' listener may keep chunks)
    markOwnReads(socket, () => {
      if (socket.listenerCount('data') === 1) reader.release();
    });
    socket.on('error', (e) => {
      if (!upgraded) fail(hijackDialError(e, engine.endpoint));
    });
    socket.on('end', () => {
      if (!upgraded && !settled) {
        // the engine answered without a length and closed: what came is the whole answer
        if (responseHeaders) failWithAnswer();
        else fail(new ConnectError('the engine closed the connection'));
      }
    });
    const host = modem.socketPath ? 'api.moby.localhost' : `${modem.host}:${modem.port}`;
    const lines = [`${method} ${fullPath} HTTP/1.1`, `Host: ${host}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''];
    socket.write(lines.join('\r\n') + data);
  });
}

function hijackTLS(engine: Engine, fullPath: string, headers: Record<string, string>, data: string): Promise<Socket> {
  const modem = engine.modem;
  const opts: RequestOptions = {
    method: 'POST',
    path: fullPath,
    headers,
    host: modem.host,
    port: modem.port,
    ca: modem.ca,
    cert: modem.cert,
    key: modem.key,
    rejectUnauthorized: !engine.endpoint.tls?.skipVerify,
    // the engine's agent: its secure context, and the TLS session of its first connection resumed
    agent: modem.agent,
  };
  return new Promise((resolve, reject) => {
    const req = httpsRequest(opts);
    req.on('upgrade', (_res, socket: Socket, head: Buffer) => {
      if (head.length) socket.unshift(head);
      resolve(socket);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => reject(notUpgraded(res.statusCode ?? 500, Buffer.concat(chunks).toString('utf8'), true)));
    });
    req.on('error', (e) => reject(hijackDialError(e, engine.endpoint)));
    req.end(data);
  });
}
