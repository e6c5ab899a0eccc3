/**
 * HTTP/1.1 requests with whole answers (JSON listings, inspect, ping) over a local unix socket, on
 * node:net alone: node's http module and dockerode are not loaded for them (node's http cannot be
 * kept in the startup snapshot: loading it costs about as much as the rest of a `ps`), and a long
 * answer is collected as its raw buffers, decoded once. Streams, uploads and hijacked connections
 * stay with dockerode (src/engine/client.ts). Idle connections are kept for the next request, as
 * Go's connection pool does, and never hold the process open.
 *
 * Remote engines use it too, given how to dial: a verified TLS connection (src/engine/tlsdial.ts),
 * or the local socket of the ssh bridge (src/engine/transport.ts).
 */
import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  status: number;
  /** header names in lower case */
  headers: Record<string, string>;
  body: Buffer;
}

const CRLF2 = Buffer.from('\r\n\r\n');

/** node's http client's errors for the same endings (src/engine/errors.ts maps them to docker's texts) */
function hangUp(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}
function aborted(): Error {
  return Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
}
function parseError(reason: string): Error {
  return Object.assign(new Error(`Parse Error: ${reason}`), { code: 'HPE_INVALID_CONSTANT' });
}

export class SocketClient {
  private readonly idle: Socket[] = [];
  /** a connection opened ahead (warm()), for the first request that finds no idle one */
  private early?: Promise<Socket>;

  /**
   * `path`: a unix socket; `dial`: how to open a connection instead (it resolves once the connection
   * may carry a request: a TLS server verified), `host` the Host header for it.
   */
  constructor(
    readonly path: string,
    private readonly dial?: () => Promise<Socket>,
    private readonly host = 'localhost',
  ) {}

  /** Open the first connection now (the TLS handshake, the ssh login run while the client loads). */
  warm(): void {
    if (this.early) return;
    const p = this.dial ? this.dial() : Promise.resolve(connect({ path: this.path }));
    // a failure is the first request's to report
    p.catch(() => {});
    this.early = p;
  }

  /** An idle connection for someone else (node's http agent): it is no longer this client's. */
  take(): Socket | undefined {
    const s = this.idle.pop();
    if (!s) return undefined;
    s.removeAllListeners('close');
    s.removeAllListeners('error');
    s.ref();
    return s;
  }

  request(method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawAnswer> {
    let sock = this.idle.pop();
    if (sock) sock.ref();
    else if (this.early) {
      const early = this.early;
      this.early = undefined;
      return early.then((s) => (s.destroyed ? this.request(method, path, headers, body) : this.send(s, method, path, headers, body)));
    } else if (this.dial) return this.dial().then((s) => this.send(s, method, path, headers, body));
    else sock = connect({ path: this.path });
    return this.send(sock, method, path, headers, body);
  }

  private send(s: Socket, method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawAnswer> {
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.host}\r\n`;
    for (const k in headers) head += `${k}: ${headers[k]}\r\n`;
    if (body !== undefined) head += `Content-Length: ${Buffer.byteLength(body)}\r\n`;
    head += '\r\n';
    const wire = body === undefined ? head : head + body;
    return new Promise((resolve, reject) => {
      s.removeAllListeners('close');
      s.removeAllListeners('error');
      s.removeAllListeners('data');

      let pending: Buffer[] = [];
      let pendingLen = 0;
      let status = 0;
      let hdrs: Record<string, string> | undefined;
      let mode: 'length' | 'chunked' | 'close' | 'none' = 'none';
      let remaining = 0; // bytes left: of the body (length) or of the current chunk (chunked)
      let chunkState: 'size' | 'data' | 'crlf' | 'trailer' = 'size';
      let lineBuf = '';
      const parts: Buffer[] = [];
      let done = false;

      const finish = (err?: Error): void => {
        if (done) return;
        done = true;
        s.removeAllListeners('data');
        if (err) {
          s.destroy();
          reject(err);
          return;
        }
        const keep = mode !== 'close' && hdrs!.connection?.toLowerCase() !== 'close';
        if (keep) {
          s.removeAllListeners('close');
          s.removeAllListeners('error');
          s.on('error', () => {});
          s.once('close', () => {
            const i = this.idle.indexOf(s);
            if (i >= 0) this.idle.splice(i, 1);
          });
          s.unref();
          this.idle.push(s);
        } else s.destroy();
        resolve({ status, headers: hdrs!, body: parts.length === 1 ? parts[0] : Buffer.concat(parts) });
      };

      const onBody = (b: Buffer): void => {
        let i = 0;
        if (mode === 'length') {
          const n = Math.min(remaining, b.length);
          if (n > 0) parts.push(n === b.length ? b : b.subarray(0, n));
          remaining -= n;
          if (remaining === 0) finish();
          return;
        }
        if (mode === 'close') {
          if (b.length) parts.push(b);
          return;
        }
        // chunked
        while (i < b.length && !done) {
          if (chunkState === 'data') {
            const n = Math.min(remaining, b.length - i);
            parts.push(b.subarray(i, i + n));
            i += n;
            remaining -= n;
            if (remaining === 0) chunkState = 'crlf';
            continue;
          }
          const nl = b.indexOf(10, i);
          if (nl < 0) {
            lineBuf += b.toString('latin1', i);
            if (lineBuf.length > 4096) finish(parseError('Invalid character in chunk size'));
            return;
          }
          const line = (lineBuf + b.toString('latin1', i, nl)).replace(/\r$/, '');
          lineBuf = '';
          i = nl + 1;
          if (chunkState === 'crlf') {
            if (line !== '') return finish(parseError('Expected LF after chunk data'));
            chunkState = 'size';
          } else if (chunkState === 'size') {
            const size = parseInt(line, 16);
            if (!/^[0-9a-fA-F]+/.test(line) || Number.isNaN(size)) return finish(parseError('Invalid character in chunk size'));
            if (size === 0) chunkState = 'trailer';
            else {
              remaining = size;
              chunkState = 'data';
            }
          } else if (line === '') finish(); // the end of the trailer
        }
      };

      const onHead = (): void => {
        const all = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingLen);
        const end = all.indexOf(CRLF2);
        if (end < 0) {
          pending = [all];
          if (pendingLen > 1 << 20) finish(parseError('Header overflow'));
          return;
        }
        pending = [];
        const lines = all.toString('latin1', 0, end).split('\r\n');
        const m = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(lines[0]);
        if (!m) return finish(parseError('Expected HTTP/'));
        status = Number(m[1]);
        const h: Record<string, string> = {};
        for (let k = 1; k < lines.length; k++) {
          const c = lines[k].indexOf(':');
          if (c <= 0) continue;
          const name = lines[k].slice(0, c).trim().toLowerCase();
          const value = lines[k].slice(c + 1).trim();
          h[name] = name in h ? `${h[name]}, ${value}` : value;
        }
        hdrs = h;
        if (status === 100) {
          // an interim answer: the real one follows
          hdrs = undefined;
          const rest = all.subarray(end + 4);
          pendingLen = rest.length;
          if (rest.length) {
            pending = [rest];
            onHead();
          }
          return;
        }
        const rest = all.subarray(end + 4);
        if (method === 'HEAD' || status === 204 || status === 304 || (status >= 100 && status < 200)) {
          mode = 'length';
          remaining = 0;
          return finish();
        }
        if (/\bchunked\b/i.test(h['transfer-encoding'] ?? '')) mode = 'chunked';
        else if (h['content-length'] !== undefined) {
          mode = 'length';
          remaining = Number(h['content-length']);
          if (!Number.isSafeInteger(remaining) || remaining < 0) return finish(parseError('Invalid Content-Length'));
          if (remaining === 0) return finish();
        } else mode = 'close';
        if (rest.length) onBody(rest);
      };

      s.on('data', (b: Buffer) => {
        if (hdrs) return onBody(b);
        pending.push(b);
        pendingLen += b.length;
        onHead();
      });
      s.on('error', (e) => finish(hdrs ? aborted() : e));
      s.on('close', () => {
        if (done) return;
        if (hdrs && mode === 'close') return finish();
        finish(hdrs ? aborted() : hangUp());
      });
      s.write(wire);
    });
  }
}
