/**
 * A tar writer that tar-fs packs into (its `pack` option: `entry(header, [buffer], callback)`,
 * `finalize()`, `destroy()`), writing headers as Go's archive/tar does for docker's build context
 * (archive.TarWithOptions, Format PAX): USTAR when the entry fits, a long ASCII name split into
 * prefix and name, otherwise a PAX extended header ("PaxHeaders.0/<base>") for the name, link
 * name, size or modification time, as Go's tar.Writer decides.
 *
 * Headers, small bodies and padding are copied into pieces of 256 KB (the first one 16 KB); file
 * chunks of 64 KB or more are passed on as they are. A context of thousands of small files is then a few hundred large
 * buffers, rather than a stream object per entry and three buffers (header, body, padding) each.
 */
import { EventEmitter } from 'node:events';
import { Readable } from 'node:stream';

export type TarEntryType = 'file' | 'link' | 'symlink' | 'character-device' | 'block-device' | 'directory' | 'fifo';

export interface TarHeader {
  name: string;
  type?: TarEntryType;
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  mtime?: Date;
  linkname?: string;
  uname?: string;
  gname?: string;
  devmajor?: number;
  devminor?: number;
}

const TYPEFLAG: Record<TarEntryType, number> = {
  file: 0x30,
  link: 0x31,
  symlink: 0x32,
  'character-device': 0x33,
  'block-device': 0x34,
  directory: 0x35,
  fifo: 0x36,
};
const PAX_TYPEFLAG = 0x78; // 'x'

const BLOCK = 512;
const NAME_SIZE = 100;
const PREFIX_SIZE = 155;
const PIECE = 256 * 1024;
/** the first piece goes out early: the engine can start on the archive while the rest is packed */
const FIRST_PIECE = 16 * 1024;
/** how long packing may run before the event loop gets a turn (the socket is written to then) */
const SLICE_MS = 2;
const PASS_ON = 64 * 1024;
const ZEROS = Buffer.alloc(1024);

// eslint-disable-next-line no-control-regex
const isASCII = (s: string): boolean => /^[\x00-\x7f]*$/.test(s);

/** Go's toASCII: only the ASCII characters other than NUL. */
// eslint-disable-next-line no-control-regex
const toASCII = (s: string): string => (isASCII(s) ? s : s.replace(/[^\x01-\x7f]/gu, ''));

/** Go's fitsInOctal for a field of n bytes (n-1 digits and a NUL). */
const fitsInOctal = (n: number, x: number): boolean => x >= 0 && (n >= 22 || x < 8 ** (n - 1));

/** Go's splitUSTARPath: a long ASCII name as prefix (≤155) and name (≤100), split at a slash. */
export function splitUSTARPath(name: string): [string, string] | undefined {
  let length = name.length;
  if (length <= NAME_SIZE || !isASCII(name)) return undefined;
  if (length > PREFIX_SIZE + 1) length = PREFIX_SIZE + 1;
  else if (name[length - 1] === '/') length--;
  const i = name.lastIndexOf('/', length - 1);
  const nlen = name.length - i - 1;
  if (i <= 0 || nlen > NAME_SIZE || nlen === 0 || i > PREFIX_SIZE) return undefined;
  return [name.slice(0, i), name.slice(i + 1)];
}

/** Go's formatPAXRecord: "<length> <key>=<value>\n", the length counting itself. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const n = Buffer.byteLength(body);
  let size = n + String(n).length;
  if (String(size).length + n !== size) size = String(size).length + n;
  return `${size}${body}`;
}

/** Go's formatter.formatString: copy, NUL-terminate if room; a cut that ends in "/" loses its slashes. */
function putString(b: Buffer, at: number, len: number, s: string): void {
  const n = b.write(s, at, len, 'latin1');
  if (s.length > len && b[at + len - 1] === 0x2f) {
    const kept = s.slice(0, len - 1).replace(/\/+$/, '').length;
    b[at + kept] = 0;
    return;
  }
  void n;
}

/** Go's formatter.formatOctal: len-1 zero-padded digits and a NUL; 0 when the value does not fit. */
function putOctal(b: Buffer, at: number, len: number, x: number): void {
  const s = fitsInOctal(len, x) ? x.toString(8) : '0';
  b.write(s.padStart(len - 1, '0'), at, len - 1, 'latin1');
}

/** the USTAR magic and version, then the checksum ("%06o\0 "), as Go's block.setFormat */
function seal(b: Buffer, at: number): void {
  b.write('ustar\x0000', at + 257, 8, 'latin1');
  let sum = 8 * 0x20;
  for (let i = 0; i < 148; i++) sum += b[at + i];
  for (let i = 156; i < BLOCK; i++) sum += b[at + i];
  b.write(sum.toString(8).padStart(6, '0'), at + 148, 6, 'latin1');
  b[at + 155] = 0x20;
}

/** tar-stream's defaults for what a header leaves out */
function complete(h: TarHeader): Required<Omit<TarHeader, 'linkname' | 'uname' | 'gname' | 'devmajor' | 'devminor'>> & TarHeader {
  const type = h.type ?? 'file';
  return {
    ...h,
    type,
    size: type === 'file' ? (h.size ?? 0) : 0,  // links, directories and the rest carry no data
    mode: h.mode || (type === 'directory' ? 0o755 : 0o644),
    uid: h.uid ?? 0,
    gid: h.gid ?? 0,
    mtime: h.mtime ?? new Date(),
  };
}

/**
 * The header block(s) of one entry as Go's tar.Writer writes them: one USTAR block, or a PAX
 * extended header (block and records, padded) followed by the entry's own block.
 */
export function encodeHeader(header: TarHeader): Buffer {
  const h = complete(header);
  const seconds = Math.floor(h.mtime.getTime() / 1000);
  const linkname = h.linkname ?? '';
  const pax: [string, string][] = [];
  let name = h.name;
  let prefix = '';
  if (!isASCII(name) || name.length > NAME_SIZE) {
    const split = splitUSTARPath(name);
    if (split) [prefix, name] = split;
    else pax.push(['path', h.name]);
  }
  if (!isASCII(linkname) || linkname.length > NAME_SIZE) pax.push(['linkpath', linkname]);
  if (!fitsInOctal(12, h.size)) pax.push(['size', String(h.size)]);
  if (!fitsInOctal(12, seconds)) pax.push(['mtime', String(seconds)]);

  if (!pax.length) {
    const b = Buffer.alloc(BLOCK);
    fields(b, 0, h, name, linkname, seconds);
    putString(b, 345, PREFIX_SIZE, prefix);
    seal(b, 0);
    return b;
  }
  pax.sort((x, y) => (x[0] < y[0] ? -1 : 1));
  const records = Buffer.from(pax.map(([k, v]) => paxRecord(k, v)).join(''));
  const padded = Math.ceil(records.length / BLOCK) * BLOCK;
  const b = Buffer.alloc(BLOCK + padded + BLOCK);
  // the extended header: path.Join(dir, "PaxHeaders.0", file), ASCII only, cut at 100, no trailing "/"
  const slash = h.name.lastIndexOf('/');
  const joined = [h.name.slice(0, slash + 1).replace(/\/+$/, ''), 'PaxHeaders.0', h.name.slice(slash + 1)].filter(Boolean).join('/');
  const paxName = toASCII(joined).slice(0, NAME_SIZE).replace(/\/+$/, '');
  putString(b, 0, NAME_SIZE, paxName);
  putOctal(b, 100, 8, 0);
  putOctal(b, 108, 8, 0);
  putOctal(b, 116, 8, 0);
  putOctal(b, 124, 12, records.length);
  putOctal(b, 136, 12, 0);
  b[156] = PAX_TYPEFLAG;
  seal(b, 0);
  records.copy(b, BLOCK);
  const at = BLOCK + padded;
  fields(b, at, h, toASCII(h.name), toASCII(linkname), seconds);
  seal(b, at);
  return b;
}

/** Go's templateV7Plus: the fields every USTAR/PAX entry block carries. */
function fields(b: Buffer, at: number, h: ReturnType<typeof complete>, name: string, linkname: string, seconds: number): void {
  putString(b, at, NAME_SIZE, name);
  putOctal(b, at + 100, 8, h.mode & 0o7777);
  putOctal(b, at + 108, 8, h.uid);
  putOctal(b, at + 116, 8, h.gid);
  putOctal(b, at + 124, 12, h.size);
  putOctal(b, at + 136, 12, seconds);
  b[at + 156] = TYPEFLAG[h.type];
  putString(b, at + 157, NAME_SIZE, linkname);
  putString(b, at + 265, 32, toASCII(h.uname ?? ''));
  putString(b, at + 297, 32, toASCII(h.gname ?? ''));
  putOctal(b, at + 329, 8, h.devmajor ?? 0);
  putOctal(b, at + 337, 8, h.devminor ?? 0);
}

type Callback = (err?: Error | null) => void;

/** What tar-fs pipes a file's data into: counts it, hands it to the writer, checks the size at the end. */
class EntrySink extends EventEmitter {
  writable = true;
  private written = 0;

  constructor(
    private readonly tar: TarWriter,
    private readonly size: number,
    private readonly done: Callback,
  ) {
    super();
  }

  write(chunk: Buffer): boolean {
    if (!this.writable) return false;
    this.written += chunk.length;
    if (this.written > this.size) {
      this.destroy(new Error('archive/tar: write too long'));
      return false;
    }
    return this.tar.data(chunk);
  }

  end(): void {
    if (!this.writable) return;
    this.writable = false;
    if (this.written !== this.size) {
      this.destroy(new Error(`archive/tar: missed writing ${this.size - this.written} bytes`));
      return;
    }
    this.tar.pad(this.size);
    this.emit('finish');
    this.tar.next(this.done);
  }

  destroy(err?: Error): void {
    this.writable = false;
    this.tar.destroy(err ?? new Error('tar entry destroyed'));
  }
}

export class TarWriter extends Readable {
  /**
   * @param start what fills the writer (tar-fs's walk), begun when the writer is first read: an
   * archive packed before anyone reads it would run ahead (up to the high-water mark) of whatever
   * the reader has still to do first, like connecting to the engine.
   */
  constructor(private start?: () => void) {
    // a few pieces ahead of the reader, so that reading files overlaps with sending
    super({ highWaterMark: 4 * PIECE });
  }

  private piece = Buffer.allocUnsafe(PIECE);
  private used = 0;
  private limit = FIRST_PIECE;
  /** when the current run of packing without a turn of the event loop began */
  private slice = performance.now();
  /** the last push was refused: callbacks and 'drain' wait for _read */
  private full = false;
  private waiting: (() => void)[] = [];
  private sink: EntrySink | undefined;

  /** tar-fs's pack API: an entry with its data given, or a sink for it (files), or none (the rest). */
  entry(header: TarHeader, buffer?: Buffer | string | Callback, callback?: Callback): EntrySink | undefined {
    if (typeof buffer === 'function') {
      callback = buffer;
      buffer = undefined;
    }
    const done: Callback = callback ?? (() => {});
    if (typeof buffer === 'string') buffer = Buffer.from(buffer);
    const h = complete(buffer ? { ...header, size: buffer.length } : header);
    this.add(encodeHeader(h));
    if (buffer) {
      this.add(buffer);
      this.pad(buffer.length);
      this.next(done);
      return undefined;
    }
    // tar-fs pipes a file's data into what it gets back, also for a file sent as a hard link (no data)
    if (h.type !== 'file' && h.type !== 'link') {
      this.next(done);
      return undefined;
    }
    this.sink = new EntrySink(this, h.size, done);
    return this.sink;
  }

  finalize(): void {
    this.add(ZEROS);
    this.flush();
    this.push(null);
  }

  /** file data: small pieces copied, large ones passed on */
  data(chunk: Buffer): boolean {
    if (chunk.length >= PASS_ON) {
      this.flush();
      this.out(chunk);
    } else {
      this.add(chunk);
    }
    return !this.full;
  }

  /** zeros up to the next block */
  pad(size: number): void {
    const rest = size & (BLOCK - 1);
    if (rest) this.add(ZEROS.subarray(0, BLOCK - rest));
  }

  /**
   * Call back when the reader wants more: at once (next tick) unless the last push was refused. Every
   * few milliseconds the callback waits for the event loop's next turn instead: packing runs in tick
   * callbacks, and the socket the archive goes to is written to only between turns; without a pause
   * the engine, which reads as fast as it extracts, waited for data while files were packed.
   */
  next(cb: Callback): void {
    if (this.full) {
      this.waiting.push(() => cb());
      return;
    }
    const now = performance.now();
    if (now - this.slice < SLICE_MS) {
      process.nextTick(cb);
      return;
    }
    setImmediate(() => {
      this.slice = performance.now();
      cb();
    });
  }

  private add(b: Buffer): void {
    let from = 0;
    while (from < b.length) {
      const n = Math.min(b.length - from, this.limit - this.used);
      b.copy(this.piece, this.used, from, from + n);
      this.used += n;
      from += n;
      if (this.used === this.limit) this.flush();
    }
  }

  private flush(): void {
    if (!this.used) return;
    const b = this.piece.subarray(0, this.used);
    this.piece = Buffer.allocUnsafe(PIECE);
    this.used = 0;
    this.limit = PIECE;
    this.out(b);
  }

  private out(b: Buffer): void {
    if (!this.push(b)) this.full = true;
  }

  override _read(): void {
    if (this.start) {
      const start = this.start;
      this.start = undefined;
      start();
      return;
    }
    if (!this.full) return;
    this.full = false;
    const waiting = this.waiting;
    this.waiting = [];
    for (const f of waiting) f();
    this.sink?.emit('drain');
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.waiting = [];
    cb(err);
  }
}
