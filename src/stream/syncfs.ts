/**
 * The fs that tar-fs walks, reads and writes with for build contexts and `cp`: synchronous calls
 * behind its callback API. A tree is many small files and directories; one thread-pool round trip
 * per lstat, mkdir, chmod, utimes or write left the packer and the extractor mostly waiting, while
 * these calls take microseconds from the page cache. Files are written in batches of up to 1 MB
 * (one writev), reads are FileSources (src/stream/filesource.ts).
 */
import {
  chmodSync, chownSync, closeSync, lchownSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, realpathSync, statSync,
  symlinkSync, unlinkSync, utimesSync, writevSync, type Stats,
} from 'node:fs';
import { Writable } from 'node:stream';
import { FileSource } from './filesource.js';

type Callback<T> = (err: NodeJS.ErrnoException | null, value?: T) => void;

/** Run f now; call back on the next tick, as the asynchronous call would. */
function later<T>(f: () => T, cb: Callback<T>): void {
  let v: T;
  try {
    v = f();
  } catch (e) {
    process.nextTick(cb, e as NodeJS.ErrnoException);
    return;
  }
  process.nextTick(cb, null, v);
}

const BATCH = 1 << 20;

/** A file written with writevSync in batches of up to 1 MB; 'finish' then 'close', as fs.WriteStream. */
export class BatchedFileWriter extends Writable {
  private fd = -1;
  private pending: Buffer[] = [];
  private size = 0;

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

  private flushSync(): void {
    let bufs = this.pending;
    this.pending = [];
    this.size = 0;
    while (bufs.length) {
      let n = writevSync(this.fd, bufs);
      // a short write: go on from where it stopped
      while (bufs.length && n >= bufs[0].length) n -= bufs.shift()!.length;
      if (n > 0) bufs[0] = bufs[0].subarray(n);
      bufs = bufs.filter((b) => b.length > 0);
    }
  }

  private take(chunk: Buffer, cb: (err?: Error | null) => void): void {
    this.pending.push(chunk);
    this.size += chunk.length;
    try {
      if (this.size >= BATCH) this.flushSync();
      cb();
    } catch (e) {
      cb(e as Error);
    }
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.take(chunk, cb);
  }

  override _final(cb: (err?: Error | null) => void): void {
    try {
      this.flushSync();
      cb();
    } catch (e) {
      cb(e as Error);
    }
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
