/**
 * fsutil's sending side of DiffCopy: the directory tree walked in Go's lexical order, each entry a
 * STAT packet (paths with '/', Go FileMode bits, uid and gid reset to 0 as docker's client does), an
 * empty STAT to end the listing; then the file data the receiver asks for (REQ by index), each file
 * ending with an empty DATA packet; FIN answered with FIN. Exclude patterns (.dockerignore) and the
 * builder's include patterns decide what is listed, so ignored files are never read or sent.
 */
import { chmodSync, closeSync, linkSync, lstatSync, lutimesSync, mkdirSync, openSync, readdirSync, readlinkSync, readSync, rmSync, symlinkSync, utimesSync, writeSync, type Stats } from 'node:fs';
import { join } from 'node:path';

export interface SyncEntry {
  path: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  modTime: number;
  linkname: string;
  devmajor: number;
  devminor: number;
}

// Go's os.FileMode bits
const M_DIR = 0x80000000;
const M_SYMLINK = 0x08000000;
const M_DEVICE = 0x04000000;
const M_PIPE = 0x02000000;
const M_SOCKET = 0x01000000;
const M_SETUID = 0x00800000;
const M_SETGID = 0x00400000;
const M_CHARDEV = 0x00200000;
const M_STICKY = 0x00100000;

export function goMode(st: Stats): number {
  let m = st.mode & 0o777;
  if (st.isDirectory()) m |= M_DIR;
  else if (st.isSymbolicLink()) m |= M_SYMLINK;
  else if (st.isFIFO()) m |= M_PIPE;
  else if (st.isSocket()) m |= M_SOCKET;
  else if (st.isBlockDevice()) m |= M_DEVICE;
  else if (st.isCharacterDevice()) m |= M_DEVICE | M_CHARDEV;
  if (st.mode & 0o4000) m |= M_SETUID;
  if (st.mode & 0o2000) m |= M_SETGID;
  if (st.mode & 0o1000) m |= M_STICKY;
  return m >>> 0;
}

function segRegex(seg: string): RegExp {
  let r = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i];
    if (c === '*') r += '[^/]*';
    else if (c === '?') r += '[^/]';
    else if (c === '[') {
      const j = seg.indexOf(']', i + 1);
      if (j < 0) r += '\\[';
      else {
        r += '[' + seg.slice(i + 1, j).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = j;
      }
    } else if (c === '\\' && i + 1 < seg.length) r += '\\' + seg[++i];
    else r += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp('^' + r + '$');
}

/** Include patterns: a path is included when a pattern matches it or one of its parents; a directory is entered when it may lead to a match. */
export class Includes {
  private pats: string[][];
  constructor(patterns: string[]) {
    this.pats = patterns.map((p) => p.replace(/^\.?\/+/, '').replace(/\/+$/, '')).filter((p) => p !== '').map((p) => p.split('/').filter((s) => s !== '.'));
  }
  get all(): boolean {
    return this.pats.length === 0;
  }
  /** pattern matches the path or one of its parents */
  matches(path: string): boolean {
    if (this.all) return true;
    const segs = path.split('/');
    return this.pats.some((p) => p.length <= segs.length && p.every((s, i) => s === '**' || segRegex(s).test(segs[i])));
  }
  /** a directory whose descendants may match */
  mayContain(dir: string): boolean {
    if (this.all) return true;
    const segs = dir.split('/');
    return this.pats.some((p) => p.includes('**') || (p.length > segs.length && segs.every((s, i) => segRegex(p[i]).test(s))));
  }
}

export interface WalkOptions {
  excludes: string[];
  includes: string[];
}

/** The entries fsutil's walker would list, in its order. */
export async function walkTree(root: string, o: WalkOptions): Promise<SyncEntry[]> {
  const { default: ignore } = await import('@balena/dockerignore');
  const excl = ignore().add(o.excludes.filter((p) => p.trim() !== ''));
  const negations = o.excludes.some((p) => p.trim().startsWith('!'));
  const inc = new Includes(o.includes);
  const out: SyncEntry[] = [];
  const entry = (rel: string, st: Stats, abs: string): SyncEntry => ({
    path: rel,
    mode: goMode(st),
    uid: 0,
    gid: 0,
    size: st.isFile() ? st.size : 0,
    modTime: Math.trunc(Number(st.mtimeMs) * 1e6),
    linkname: st.isSymbolicLink() ? readlinkSync(abs) : '',
    devmajor: st.isBlockDevice() || st.isCharacterDevice() ? Math.floor(st.rdev / 256) & 0xfff : 0,
    devminor: st.isBlockDevice() || st.isCharacterDevice() ? st.rdev & 0xff : 0,
  });
  // parents listed lazily: only once something below them is listed
  const visit = (dirAbs: string, dirRel: string, pendingParents: SyncEntry[]): void => {
    let names: string[];
    try {
      names = readdirSync(dirAbs);
    } catch {
      return;
    }
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) {
      const rel = dirRel ? `${dirRel}/${name}` : name;
      const abs = join(dirAbs, name);
      const st = lstatSync(abs);
      const isDir = st.isDirectory();
      if (excl.ignores(rel)) {
        if (!(isDir && negations)) continue;
        visit(abs, rel, [...pendingParents, entry(rel, st, abs)].slice(0));
        continue;
      }
      if (inc.matches(rel)) {
        out.push(...pendingParents.splice(0));
        out.push(entry(rel, st, abs));
        if (isDir) visit(abs, rel, []);
      } else if (isDir && inc.mayContain(rel)) {
        const e = entry(rel, st, abs);
        const parents = [...pendingParents, e];
        const before = out.length;
        visit(abs, rel, parents);
        if (out.length > before) pendingParents.splice(0);
      }
    }
  };
  visit(root, '', []);
  return out;
}

/** a file's data in chunks of 32 KB, as fsutil's sender reads it */
export function* fileChunks(path: string, size = 32 * 1024): Generator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const b = Buffer.allocUnsafe(size);
      const n = readSync(fd, b, 0, b.length, null);
      if (n <= 0) return;
      yield b.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/** where DiffCopy's receiving side writes: fsutil's DiskWriter in merge mode, as docker's FSSyncTargetDir */
export interface ReceiveCall {
  write(p: unknown): boolean;
  end(): void;
  on(ev: string, f: (...a: any[]) => void): void;
}

/**
 * fsutil's Receive into a directory, the engine being the sender: each STAT is made on disk at once
 * (directories, symlinks, hard links; regular files asked for with REQ by their index in the listing),
 * file data written as it arrives (an empty DATA ends a file, whose time stamps are then set), FIN
 * sent once the listing has ended and every file is complete; modes from the listing, owner the
 * current user.
 */
export function receiveDiffCopy(call: ReceiveCall, dest: string, done: (err?: Error) => void): void {
  let index = 0;
  let listed = false;
  let finished = false;
  const open = new Map<number, { fd: number; path: string; mtime: number; mode: number }>();
  const fail = (e: Error): void => {
    if (finished) return;
    finished = true;
    for (const f of open.values()) closeSync(f.fd);
    open.clear();
    try {
      call.write({ type: 4, data: Buffer.from(e.message) });
      call.end();
    } catch {
      // the stream is gone already
    }
    done(e);
  };
  const maybeFin = (): void => {
    if (!listed || open.size || finished) return;
    call.write({ type: 3 });
  };
  const perm = (m: number): number => (m & 0o777) | (m & M_SETUID ? 0o4000 : 0) | (m & M_SETGID ? 0o2000 : 0) | (m & M_STICKY ? 0o1000 : 0);
  const times = (p: string, mtimeNs: number, link: boolean): void => {
    // seconds as a float keep the microseconds (a Date would keep milliseconds only)
    const t = Math.floor(mtimeNs / 1e3) / 1e6;
    if (link) lutimesSync(p, t, t);
    else utimesSync(p, t, t);
  };
  try {
    mkdirSync(dest, { recursive: true, mode: 0o700 });
  } catch (e) {
    done(new Error(`failed to create synctarget dest dir ${dest}: ${(e as Error).message}`));
    return;
  }
  call.on('data', (p: any) => {
    if (finished) return;
    try {
      if (p.type === 4) throw new Error(`error from sender: ${Buffer.from(p.data ?? []).toString()}`);
      if (p.type === 0) {
        if (!p.stat || !p.stat.path) {
          listed = true;
          maybeFin();
          return;
        }
        const st = p.stat as SyncEntry;
        const id = index++;
        const rel = st.path;
        if (rel.startsWith('/') || rel.split('/').includes('..')) throw new Error(`invalid path ${rel}`);
        const abs = join(dest, rel);
        let old: Stats | undefined;
        try {
          old = lstatSync(abs);
        } catch {
          old = undefined;
        }
        const mode = st.mode >>> 0;
        if (mode & M_DIR) {
          if (old && !old.isDirectory()) rmSync(abs, { force: true });
          if (!old || !old.isDirectory()) mkdirSync(abs);
          chmodSync(abs, perm(mode));
          times(abs, Number(st.modTime), false);
          return;
        }
        if (old) rmSync(abs, { recursive: true, force: true });
        if (mode & M_SYMLINK) {
          symlinkSync(st.linkname, abs);
          times(abs, Number(st.modTime), true);
        } else if (st.linkname) {
          linkSync(join(dest, st.linkname), abs);
        } else if ((mode & (M_DEVICE | M_PIPE | M_SOCKET)) === 0) {
          const fd = openSync(abs, 'w', perm(mode));
          open.set(id, { fd, path: abs, mtime: Number(st.modTime), mode: perm(mode) });
          call.write({ type: 1, ID: id });
        }
        return;
      }
      if (p.type === 2) {
        const f = open.get(p.ID);
        if (!f) throw new Error(`invalid file request ${p.ID}`);
        const data = Buffer.from(p.data ?? []);
        if (data.length) {
          let off = 0;
          while (off < data.length) off += writeSync(f.fd, data, off);
          return;
        }
        closeSync(f.fd);
        open.delete(p.ID);
        chmodSync(f.path, f.mode);
        times(f.path, f.mtime, false);
        maybeFin();
        return;
      }
    } catch (e) {
      fail(e as Error);
    }
  });
  call.on('end', () => {
    if (finished) return;
    finished = true;
    call.end();
    if (open.size || !listed) done(new Error('unexpected EOF'));
    else done();
  });
  call.on('error', (e: Error) => fail(e));
}
