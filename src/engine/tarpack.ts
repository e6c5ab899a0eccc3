/**
 * A directory's entries packed as docker's archive.TarWithOptions packs them, for build contexts and
 * `cp` into a container: tar-fs stats, reads and pipes the entries it is given (in the given order;
 * what it would add from reading a directory is already in the list) into a TarWriter (Go's tar
 * headers). Directories are named "dir/", a file whose inode was already packed is sent as a hard
 * link to the first name, owners are 0 unless kept, and names carry no user or group name.
 */
import { lstatSync, readdirSync, type Dirent, type Stats } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { logLine } from '../go/log.js';
import { FileSource } from '../stream/filesource.js';
import { later, syncFs } from '../stream/syncfs.js';
import { TarWriter, type TarEntryType, type TarHeader } from '../stream/tarwriter.js';

/** Names in Go's order (the bytes of their UTF-8): UTF-16 surrogates stand for code points above U+FFFF. */
export function compareNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && x <= 0xdfff) x += 0x2800;
    if (y >= 0xd800 && y <= 0xdfff) y += 0x2800;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * The context's entries as docker's archive.TarWithOptions walks them: depth first, each directory
 * in lexical order, excluded entries left out. An excluded directory is skipped unless an exception
 * pattern ("!dir/file") starts inside it; then it is walked for the re-included files but gets no
 * entry of its own. A directory that cannot be read is skipped, or fails the walk with what
 * `unreadable` makes of it (build: ValidateContextDirectory's message, before anything is sent).
 */
export function walkContext(
  dir: string,
  ignores: (rel: string) => boolean,
  patterns: string[],
  unreadable: (abs: string) => Error | undefined,
  /** where docker's log line goes for a socket, which a tar cannot hold and which is left out */
  log: (line: string) => void = () => {},
): string[] {
  const exceptions = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const out: string[] = [];
  const visit = (rel: string): void => {
    const abs = rel ? `${dir}/${rel}` : dir;
    let list: Dirent[];
    try {
      list = readdirSync(abs, { withFileTypes: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') {
        const err = unreadable(abs);
        if (err) throw err;
        return;
      }
      if (code === 'ENOENT' && rel) return; // gone since its parent was read
      throw e;
    }
    list.sort((x, y) => compareNames(x.name, y.name));
    for (const d of list) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      const isDir = d.isDirectory();
      if (ignores(r)) {
        if (isDir && exceptions.some((e) => `${e}/`.startsWith(`${r}/`))) visit(r);
        continue;
      }
      if (d.isSocket()) {
        // docker's tar writer refuses a socket; its walk logs it and goes on
        log(logLine('error', `Can't add file ${abs}/${d.name} to tar: archive/tar: sockets not supported`));
        continue;
      }
      out.push(r);
      if (isDir) visit(r);
    }
  };
  visit('');
  return out;
}

type PackHeader = TarHeader & { type: TarEntryType; size: number };

export interface PackOptions {
  /** the name an entry is sent under (given tar-fs's name, relative to the directory) */
  rename?: (name: string) => string;
  /** keep the files' owners (cp -a); otherwise uid and gid 0 */
  keepOwners?: boolean;
  /** a file's content sent instead of what is on disk (by its name relative to the directory) */
  replace?: (name: string) => Buffer | undefined;
  /** what a failure to open or read a file (its path) becomes */
  describe?: (path: string, e: NodeJS.ErrnoException) => Error;
  /** told each path (joined to the directory) as it is about to be packed */
  onPath?: (path: string) => void;
  /** after the entries, instead of ending the archive: append, then finalize */
  finish?: (out: TarWriter) => void;
}

function specialType(st: Stats): TarEntryType | undefined {
  if (st.isFIFO()) return 'fifo';
  if (st.isCharacterDevice()) return 'character-device';
  if (st.isBlockDevice()) return 'block-device';
  return undefined;
}

/** Linux's major and minor numbers of a device number (glibc's gnu_dev_major/minor). */
const major = (rdev: number): number => ((Math.floor(rdev / 256) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff)) >>> 0;
const minor = (rdev: number): number => ((rdev & 0xff) | (Math.floor(rdev / 4096) & ~0xff)) >>> 0;

/** Pack `entries` (names relative to `dir`, in order) once the archive is first read. */
export async function packEntries(dir: string, entries: () => string[], o: PackOptions = {}): Promise<TarWriter> {
  const { default: tar } = await import('tar-fs');
  // the stat tar-fs made the entry's header from: its inode tells hard links apart
  let last: { path: string; stat: Stats } | undefined;
  const packFs = {
    ...syncFs,
    lstat: (p: string, cb: (err: NodeJS.ErrnoException | null, st?: Stats) => void): void =>
      later(() => {
        const stat = lstatSync(p);
        last = { path: p, stat };
        o.onPath?.(p);
        return stat;
      }, cb),
    createReadStream: (p: string, r: { start?: number; end?: number }): FileSource => new FileSource(p, r.start, r.end, o.describe && ((e) => o.describe!(p, e))),
  };
  const firstName = new Map<number, string>();
  const replaced = new Map<string, Buffer>();
  const rename = o.rename ?? ((n: string): string => n);
  const out = new TarWriter(() =>
    (tar.pack as unknown as (d: string, opts: unknown) => Readable)(dir, {
      pack: out,
      fs: packFs,
      umask: 0,
      entries: entries(),
      ignore: () => true,
      map: (h: PackHeader) => {
        const original = h.name;
        if (!o.keepOwners) {
          h.uid = 0;
          h.gid = 0;
        }
        h.uname = '';
        h.gname = '';
        h.name = rename(original);
        if (h.type === 'directory') {
          // Go's archive/tar names a directory "dir/"; the builder's content hashes include the name
          if (!h.name.endsWith('/')) h.name += '/';
        } else if (h.type === 'file') {
          const p = last?.path;
          const st = p && p.endsWith(original) && p[p.length - original.length - 1] === '/' ? last!.stat : lstatSync(join(dir, original));
          const special = specialType(st);
          if (special) {
            // tar-fs packs files, directories and links only, and passes over the rest (strict: false):
            // a fifo or a device is written here, in its place, as Go's FileInfoHeader makes it
            out.entry({ ...h, type: special, size: 0, devmajor: special === 'fifo' ? 0 : major(st.rdev), devminor: special === 'fifo' ? 0 : minor(st.rdev) }, () => {});
            return h;
          }
          if (st.nlink > 1) {
            const first = firstName.get(st.ino);
            if (first === undefined) firstName.set(st.ino, h.name);
            else Object.assign(h, { type: 'link', linkname: first, size: 0 });
          }
          const content = h.type === 'file' ? o.replace?.(original) : undefined;
          if (content) {
            replaced.set(h.name, content);
            h.size = content.length;
          }
        }
        return h;
      },
      mapStream: (rs: Readable, h: PackHeader) => {
        const content = replaced.get(h.name);
        if (h.size === 0 || content) {
          rs.destroy();
          // nothing to read (an empty file, a hard link) opens nothing
          return content ? Readable.from([content]) : new FileSource('', 0, -1);
        }
        return rs;
      },
      strict: false,
      finalize: !o.finish,
      finish: o.finish ? (): void => o.finish!(out) : undefined,
    }),
  );
  return out;
}
