/**
 * Look at the start of a stream without consuming it for good, as Go's bufio.Reader.Peek: at least
 * `n` bytes are read (fewer if the stream ends first); `whole` then yields those bytes followed by
 * the rest of the stream, read as it is wanted (back-pressure kept, errors passed on).
 */
import { readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { FdReadable } from './filesource.js';

export function peek(s: Readable, n: number): Promise<{ head: Buffer; whole: Readable }> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let length = 0;
    const settle = (ended: boolean): void => {
      s.off('data', onData);
      s.off('end', onEnd);
      s.off('error', onError);
      if (!ended) s.pause();
      const head = Buffer.concat(parts, length);
      async function* rest(): AsyncGenerator<Buffer> {
        if (head.length) yield head;
        if (!ended) for await (const c of s) yield c as Buffer;
      }
      resolve({ head, whole: Readable.from(rest(), { objectMode: false }) });
    };
    const onData = (c: Buffer | string): void => {
      const b = typeof c === 'string' ? Buffer.from(c) : c;
      parts.push(b);
      length += b.length;
      if (length >= n) settle(false);
    };
    const onEnd = (): void => settle(true);
    const onError = (e: Error): void => {
      s.off('data', onData);
      s.off('end', onEnd);
      reject(e);
    };
    s.on('data', onData);
    s.on('end', onEnd);
    s.on('error', onError);
  });
}

/** peek() over a regular file's fd: the first bytes, then everything from them on. */
export function peekFile(fd: number, n: number): { head: Buffer; whole: Readable } {
  const buf = Buffer.allocUnsafe(n);
  let got = 0;
  for (let r = -1; got < n && r !== 0; got += r) r = readSync(fd, buf, got, n - got, null);
  const head = buf.subarray(0, got);
  return { head, whole: new FdReadable(fd, head) };
}

/** All of a stream, as one buffer. */
export async function readAll(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  return Buffer.concat(chunks);
}
