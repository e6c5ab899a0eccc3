/**
 * The fs that tar-fs walks, reads and writes with for build contexts and `cp`: synchronous calls
 * behind its callback API. A tree is many small files and directories; one thread-pool round trip
 * per lstat, mkdir, chmod, utimes or write left the packer and the extractor mostly waiting, while
 * these calls take microseconds from the page cache. File data is written in batches that overlap
 * with reading (BatchedFileWriter); reads are FileSources (src/stream/filesource.ts).
 */
import {
  chmodSync, chownSync, closeSync, lchownSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, realpathSync, statSync,
  symlinkSync, unlinkSync, utimesSync, writev, type Stats,
} from 'node:fs';
import { Writable } from 'node:stream';
import { FileSource } from './filesource.js';

type Callback<T> = (err: NodeJS.ErrnoException | null, value?: T) => void;

/** Run f now; call back on the next tick, as the asynchronous call would. */
export function later<T>(f: () => T, cb: Callback<T>): void {
  let v: T;
  try {
    v = f();
  } catch (e) {
    process.nextTick(cb, e as NodeJS.ErrnoException);
    return;
  }
  process.nextTick(cb, null, v);
}

/** a file's data goes to the thread pool in writes of this size, at most 8 of them in flight */
const BATCH = 128 * 1024;
const IN_FLIGHT = 8;

/**
 * A file written in batches of 128 KB, each a positioned writev in the thread pool while the next
 * is read from the network (at most 8 in flight); 'finish' once all are written, then 'close', as
 * fs.WriteStream.
 */
export class BatchedFileWriter extends Writable {
  private fd = -1;
  private pending: Buffer[] = [];
  private size = 0;
  /** where the next batch goes in the file */
  private position = 0;
  private inflight = 0;
  private failed: Error | null = null;
  /** called when no write is in flight any more (back-pressure, and _final) */
  private idle: (() => void) | undefined;

  constructor(
    private readonly path: string,
    private readonly mode = 0o666,
  ) {
    super({ highWaterMark: BATCH });
  }

  override _construct(cb: (err?: Error | null) => void): void {
    try {
      this.fd = openSync(this.path, 'w', this.mode);
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }

  /** Write the pending batch at its position in the thread pool; reading goes on meanwhile. */
  private flushAsync(): void {
    const bufs = this.pending;
    const at = this.position;
    this.position += this.size;
    this.pending = [];
    this.size = 0;
    this.inflight++;
    const done = (err: Error | null): void => {
      if (err) this.failed ??= err;
      if (--this.inflight === 0) this.idle?.();
    };
    const go = (list: Buffer[], pos: number): void => {
      writev(this.fd, list, pos, (err, n) => {
        if (err) return done(err);
        let rest = list;
        let left = n;
        while (rest.length && left >= rest[0].length) {
          left -= rest[0].length;
          rest = rest.slice(1);
        }
        if (left > 0) rest = [rest[0].subarray(left), ...rest.slice(1)];
        if (rest.length) go(rest, pos + n);
        else done(null);
      });
    };
    go(bufs, at);
  }

  private take(chunk: Buffer, cb: (err?: Error | null) => void): void {
    if (this.failed) return cb(this.failed);
    this.pending.push(chunk);
    this.size += chunk.length;
    if (this.size >= BATCH) this.flushAsync();
    if (this.inflight < IN_FLIGHT) {
      cb();
      return;
    }
    this.idle = () => {
      this.idle = undefined;
      cb(this.failed);
    };
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.take(chunk, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    if (this.size) this.flushAsync();
    if (this.inflight === 0) return cb(this.failed);
    this.idle = () => {
      this.idle = undefined;
      cb(this.failed);
    };
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // already reported through the write that failed
      }
    }
    this.fd = -1;
    cb(err);
  }
}

export const syncFs = {
  lstat: (p: string, cb: Callback<Stats>): void => later(() => lstatSync(p), cb),
  stat: (p: string, cb: Callback<Stats>): void => later(() => statSync(p), cb),
  readdir: (p: string, cb: Callback<string[]>): void => later(() => readdirSync(p), cb),
  readlink: (p: string, cb: Callback<string>): void => later(() => readlinkSync(p), cb),
  realpath: (p: string, cb: Callback<string>): void => later(() => realpathSync(p), cb),
  mkdir: (p: string, o: { mode?: number; recursive?: boolean }, cb: Callback<string | undefined>): void => later(() => mkdirSync(p, o), cb),
  chmod: (p: string, mode: number, cb: Callback<void>): void => later(() => chmodSync(p, mode), cb),
  chown: (p: string, uid: number, gid: number, cb: Callback<void>): void => later(() => chownSync(p, uid, gid), cb),
  lchown: (p: string, uid: number, gid: number, cb: Callback<void>): void => later(() => lchownSync(p, uid, gid), cb),
  utimes: (p: string, at: Date | number, mt: Date | number, cb: Callback<void>): void => later(() => utimesSync(p, at, mt), cb),
  symlink: (target: string, p: string, cb: Callback<void>): void => later(() => symlinkSync(target, p), cb),
  link: (existing: string, p: string, cb: Callback<void>): void => later(() => linkSync(existing, p), cb),
  unlink: (p: string, cb: Callback<void>): void => later(() => unlinkSync(p), cb),
  createReadStream: (p: string, o: { start?: number; end?: number } = {}): FileSource => new FileSource(p, o.start, o.end),
  createWriteStream: (p: string, o: { mode?: number } = {}): BatchedFileWriter => new BatchedFileWriter(p, o.mode),
};
