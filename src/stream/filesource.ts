/**
 * A file read for piping only, at the cost of one small object: `pipe(dest)` reads the file with
 * synchronous calls (page-cache reads take microseconds) in chunks of up to 1 MB, follows dest's
 * back-pressure ('drain'), ends dest and emits 'end'. It is what tar-fs pumps into each tar entry of
 * a build context: a full Readable per file, piped with its listeners and state, cost more than
 * reading the file for the thousands of small files of a typical context.
 */
import { EventEmitter } from 'node:events';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';

const CHUNK = 1 << 20;
const EMPTY = Buffer.alloc(0);

interface Dest {
  write(chunk: Buffer): boolean;
  end(): unknown;
  once(event: 'drain', fn: () => void): unknown;
  destroy?(err?: Error): unknown;
}

export class FileSource extends EventEmitter {
  readable = true;
  private fd = -1;
  private pos: number;
  private destroyed = false;

  constructor(
    private readonly path: string,
    start = 0,
    /** inclusive, as fs.createReadStream's */
    private readonly end = Infinity,
    /** what a failure to open or read becomes */
    private readonly describe: (e: NodeJS.ErrnoException) => Error = (e) => e,
  ) {
    super();
    this.pos = start;
  }

  pipe<T extends Dest>(dest: T): T {
    // after the caller's synchronous set-up (pump attaches its listeners first)
    process.nextTick(() => this.flow(dest));
    return dest;
  }

  private flow(dest: Dest): void {
    try {
      for (;;) {
        if (this.destroyed) return;
        const want = Math.min(CHUNK, this.end - this.pos + 1);
        let buf = EMPTY;
        let n = 0;
        if (want > 0) {
          // nothing to read (an empty range) opens nothing
          if (this.fd < 0) this.fd = openSync(this.path, 'r');
          buf = Buffer.allocUnsafe(want);
          n = readSync(this.fd, buf, 0, want, this.pos);
        }
        if (n === 0) {
          this.close();
          this.readable = false;
          // as a piped Readable: 'end', then the destination ended
          this.emit('end');
          dest.end();
          return;
        }
        this.pos += n;
        if (!dest.write(n < want ? buf.subarray(0, n) : buf)) {
          dest.once('drain', () => this.flow(dest));
          return;
        }
      }
    } catch (e) {
      this.destroy(this.describe(e as NodeJS.ErrnoException));
    }
  }

  private close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }

  destroy(err?: Error): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.close();
    if (err) this.emit('error', err);
    this.emit('close');
    return this;
  }
}

/**
 * What is left of an open regular file (stdin redirected from one), read from its current offset with
 * synchronous 1 MB reads: a page-cache read takes microseconds, where a stream over the fd reads 64 KB
 * at a time through the thread pool. `head` (already read) comes first. The fd is left open.
 */
export class FdReadable extends Readable {
  constructor(
    private readonly fd: number,
    private head?: Buffer,
  ) {
    super({ highWaterMark: CHUNK });
  }

  override _read(): void {
    if (this.head) {
      const head = this.head;
      this.head = undefined;
      if (head.length) {
        this.push(head);
        return;
      }
    }
    try {
      const buf = Buffer.allocUnsafe(CHUNK);
      const n = readSync(this.fd, buf, 0, CHUNK, null);
      this.push(n ? buf.subarray(0, n) : null);
    } catch (e) {
      this.destroy(e as Error);
    }
  }
}

/** the fd, if it is open on a regular file (`build - < context.tar`) */
export function regularFile(fd: number | undefined): number | undefined {
  if (fd === undefined) return undefined;
  try {
    return fstatSync(fd).isFile() ? fd : undefined;
  } catch {
    return undefined;
  }
}
