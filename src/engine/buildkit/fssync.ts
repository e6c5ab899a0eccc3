/**
 * fsutil's sending side of DiffCopy: the directory tree walked in Go's lexical order, each entry a
 * STAT packet (paths with '/', Go FileMode bits, uid and gid reset to 0 as docker's client does), an
 * empty STAT to end the listing; then the file data the receiver asks for (REQ by index), each file
 * ending with an empty DATA packet; FIN answered with FIN. Exclude patterns (.dockerignore) and the
 * builder's include patterns decide what is listed, so ignored files are never read or sent.
 */
import { lstatSync, readdirSync, readlinkSync, openSync, readSync, closeSync, type Stats } from 'node:fs';
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
export function* fileChunks(path: string): Generator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const b = Buffer.allocUnsafe(32 * 1024);
      const n = readSync(fd, b, 0, b.length, null);
      if (n <= 0) return;
      yield b.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}
