/**
 * The engine's hijacked connections (attach, exec start): an HTTP upgrade to a raw duplex stream.
 * Done here rather than through docker-modem, whose chunked request body would reach the
 * container's stdin.
 *
 * Over a unix socket or plain TCP the request is written and its answer read on a socket of our own,
 * opened with `onread`: each read lands in a region of its own that is handed straight to the socket's
 * 'data' listeners, without the Readable machinery a socket otherwise runs per read (a container
 * writing short lines means thousands of reads). pause()/resume() and 'end' behave as usual.
 * TLS endpoints go through node's https upgrade.
 */
import { connect, type Socket } from 'node:net';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { Engine } from '../engine/client.js';
import { DaemonError, daemonMessage, ConnectError } from '../engine/errors.js';
import { toEngineError } from '../engine/errors.js';

const USER_AGENT = 'Docker-Client/28.2.2 (linux)';
const READ_SIZE = 64 * 1024;
const SLAB_SIZE = 1024 * 1024;
const ownReads = new WeakSet<Socket>();

/** Whether each chunk this socket delivers is a region of memory no one else holds (see hijackRaw). */
export function isOwnReads(socket: Socket): boolean {
  return ownReads.has(socket);
}

/**
 * Read buffers carved one after the other out of 1 MB slabs: each read gets the slab's unused rest
 * (at least 64 KB), and the next read starts where its data ended. One allocation per megabyte read
 * instead of one per read; every chunk handed on is its own region, never reused.
 */
function slabReader(onChunk: (chunk: Buffer) => boolean): { buffer: () => Buffer; callback: (n: number, buf: Buffer) => boolean } {
  let slab = Buffer.allocUnsafe(SLAB_SIZE);
  let used = 0;
  return {
    buffer: () => {
      if (SLAB_SIZE - used < READ_SIZE) {
        slab = Buffer.allocUnsafe(SLAB_SIZE);
        used = 0;
      }
      return slab.subarray(used);
    },
    callback: (n, buf) => {
      used += n;
      return onChunk(buf.subarray(0, n));
    },
  };
}

export function hijack(engine: Engine, path: string, query: Record<string, string>, body?: unknown): Promise<Socket> {
  const modem = engine.modem;
  const qs = new URLSearchParams(query).toString();
  const fullPath = `/v${engine.apiVersion}${path}${qs ? '?' + qs : ''}`;
  const data = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string> = {
    Connection: 'Upgrade',
    Upgrade: 'tcp',
    'Content-Type': body === undefined ? 'text/plain' : 'application/json',
    'Content-Length': String(Buffer.byteLength(data)),
    'User-Agent': USER_AGENT,
  };
  if (modem.protocol === 'https') return hijackTLS(engine, fullPath, headers, data);
  return hijackRaw(engine, fullPath, headers, data);
}

/** The engine's answer when it did not upgrade: its error message, as docker reports it. */
function notUpgraded(status: number, text: string): Error {
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // plain text
  }
  if (status >= 400) return new DaemonError(daemonMessage(json, text.trim()), status);
  return new ConnectError('the engine did not upgrade the connection');
}

/** Decode an HTTP/1.1 chunked body; undefined while incomplete. */
function dechunk(b: Buffer): Buffer | undefined {
  const parts: Buffer[] = [];
  let off = 0;
  for (;;) {
    const eol = b.indexOf('\r\n', off);
    if (eol < 0) return undefined;
    const size = parseInt(b.subarray(off, eol).toString('latin1'), 16);
    if (Number.isNaN(size)) return Buffer.concat(parts);
    if (size === 0) return Buffer.concat(parts);
    if (b.length < eol + 2 + size + 2) return undefined;
    parts.push(b.subarray(eol + 2, eol + 2 + size));
    off = eol + 2 + size + 2;
  }
}

function hijackRaw(engine: Engine, fullPath: string, headers: Record<string, string>, data: string): Promise<Socket> {
  const modem = engine.modem;
  return new Promise((resolve, reject) => {
    let upgraded = false;
    let settled = false;
    let head: Buffer[] = [];
    let status = 0;
    let responseHeaders: Record<string, string> | undefined;
    let bodyStart = 0;
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
    const onRead = (chunk: Buffer): boolean => {
      if (upgraded) return deliver(chunk);
      head.push(chunk);
      const all = head.length === 1 ? chunk : Buffer.concat(head);
      head = [all];
      if (!responseHeaders) {
        const end = all.indexOf('\r\n\r\n');
        if (end < 0) return true;
        const lines = all.subarray(0, end).toString('latin1').split('\r\n');
        status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0])?.[1] ?? 0);
        responseHeaders = {};
        for (const l of lines.slice(1)) {
          const i = l.indexOf(':');
          if (i > 0) responseHeaders[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
        }
        bodyStart = end + 4;
        if (status === 101) {
          upgraded = true;
          settled = true;
          const rest = all.subarray(bodyStart);
          head = [];
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
        }
      }
      const bodyBytes = all.subarray(bodyStart);
      const length = responseHeaders['content-length'];
      if (length !== undefined && bodyBytes.length >= Number(length)) {
        fail(notUpgraded(status, bodyBytes.subarray(0, Number(length)).toString('utf8')));
      } else if (/chunked/i.test(responseHeaders['transfer-encoding'] ?? '')) {
        const decoded = dechunk(bodyBytes);
        if (decoded) fail(notUpgraded(status, decoded.toString('utf8')));
      }
      return true;
    };
    const opts = modem.socketPath
      ? { path: modem.socketPath as string }
      : { host: modem.host as string, port: Number(modem.port) };
    const socket = connect({ ...opts, onread: slabReader(onRead) });
    ownReads.add(socket);
    socket.on('error', (e) => {
      if (!upgraded) fail(toEngineError(e, engine.endpoint));
    });
    socket.on('end', () => {
      if (!upgraded && !settled) {
        // the engine answered without a length and closed: what came is the whole answer
        fail(responseHeaders ? notUpgraded(status, Buffer.concat(head).subarray(bodyStart).toString('utf8')) : new ConnectError('the engine closed the connection'));
      }
    });
    const host = modem.socketPath ? 'api.moby.localhost' : `${modem.host}:${modem.port}`;
    const lines = [`POST ${fullPath} HTTP/1.1`, `Host: ${host}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''];
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
    rejectUnauthorized: !!modem.ca,
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
      res.on('end', () => reject(notUpgraded(res.statusCode ?? 500, Buffer.concat(chunks).toString('utf8'))));
    });
    req.on('error', (e) => reject(toEngineError(e, engine.endpoint)));
    req.end(data);
  });
}
