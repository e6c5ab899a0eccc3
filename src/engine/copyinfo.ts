/**
 * docker cp's path rules, after moby's pkg/archive copy.go (CopyInfo, PrepareArchiveCopy,
 * RebaseArchiveEntries) as docker/cli uses them: which directory an archive is extracted into and
 * how its entries are renamed, for a source that is a file or a directory (with or without a
 * trailing "/" or "/."), and a destination that exists or not, is a directory, a file or a link.
 */
import { lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { errnoText, StatusError } from '../cli/errors.js';

export interface CopyInfo {
  path: string;
  exists: boolean;
  isDir: boolean;
  /** the name the archive's top entry must take (a followed link keeps its own name) */
  rebaseName?: string;
}

/** Go's filepath.Clean (POSIX). */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const n = posix.normalize(p);
  return n.length > 1 ? n.replace(/\/+$/, '') : n;
}

/** Go's filepath.Base (POSIX): the last element, trailing slashes ignored; "/" for slashes only, "." for "". */
export function goBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  return trimmed === '' ? '/' : posix.basename(trimmed);
}

export const hasTrailingPathSeparator = (p: string): boolean => p.length > 0 && p.endsWith('/');
export const specifiesCurrentDir = (p: string): boolean => goBase(p) === '.';
export const assertsDirectory = (p: string): boolean => hasTrailingPathSeparator(p) || specifiesCurrentDir(p);

/** SplitPathDirEntry: the parent and the entry; "dir/." keeps "." as the entry. */
export function splitPathDirEntry(p: string): [string, string] {
  let cleaned = cleanPath(p);
  if (specifiesCurrentDir(p)) cleaned += '/.';
  return [posix.dirname(cleaned), posix.basename(cleaned)];
}

/** GetRebaseName: a resolved link keeps the trailing "/" or "/." asked for, and the name it had. */
export function getRebaseName(path: string, resolved: string): [string, string | undefined] {
  let r = resolved;
  if (specifiesCurrentDir(path) && !specifiesCurrentDir(r)) r += '/.';
  if (hasTrailingPathSeparator(path) && !hasTrailingPathSeparator(r)) r += '/';
  return [r, goBase(path) !== goBase(r) ? goBase(path) : undefined];
}

/** RebaseArchiveEntries' rename: the first occurrence of oldBase in the name, as Go's strings.Replace(n, old, new, 1). */
export function rebaseName(name: string, oldBase: string, newBase: string): string {
  const i = name.indexOf(oldBase);
  return i < 0 ? name : name.slice(0, i) + newBase + name.slice(i + oldBase.length);
}

/** Go's *PathError text. */
export function pathError(op: string, path: string, e: unknown): StatusError {
  return new StatusError(`${op} ${path}: ${errnoText(e) ?? (e as Error).message}`, 1);
}

/** filepath.EvalSymlinks, with its error for a component that is missing. */
function evalSymlinks(p: string): string {
  try {
    return realpathSync(p);
  } catch (e) {
    const missing = firstMissing(p.startsWith('/') ? p : posix.resolve(p));
    if (missing) throw new StatusError(`lstat ${missing.path}: ${missing.why}`, 1);
    throw pathError('lstat', cleanPath(p), e);
  }
}

/**
 * CopyInfoSourcePath for a local source: with followLink the source is resolved through links (and
 * keeps its name); otherwise only its parent directories are.
 */
export function copyInfoSourcePath(path: string, followLink: boolean): CopyInfo {
  let resolved: string;
  let rebase: string | undefined;
  if (followLink) {
    [resolved, rebase] = getRebaseName(path, evalSymlinks(path));
  } else {
    const slash = path.lastIndexOf('/');
    const dirPath = path.slice(0, slash + 1) || '.';
    const basePath = path.slice(slash + 1);
    const resolvedDir = evalSymlinks(dirPath);
    resolved = (resolvedDir === '/' ? '' : resolvedDir) + '/' + basePath;
    if (hasTrailingPathSeparator(path) && goBase(path) !== goBase(resolved)) rebase = goBase(path);
  }
  let st;
  try {
    st = lstatSync(resolved);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') throw new StatusError('not a directory', 1);
    throw pathError('lstat', resolved, e);
  }
  if (assertsDirectory(resolved) && !st.isDirectory()) throw new StatusError('not a directory', 1);
  return { path: resolved, exists: true, isDir: st.isDirectory(), rebaseName: rebase };
}

/**
 * CopyInfoDestinationPath for a local destination: links are followed (a dangling one names the file
 * to create); a destination that does not exist needs an existing parent directory.
 */
export function copyInfoDestinationPath(path: string): CopyInfo {
  let p = path;
  let st;
  try {
    st = lstatSync(p);
  } catch {
    st = undefined;
  }
  for (let n = 0; st?.isSymbolicLink(); n++) {
    if (n > 10) throw new StatusError(`too many symlinks in ${path}`, 1);
    let target = readlinkSync(p);
    if (!target.startsWith('/')) target = posix.join(splitPathDirEntry(p)[0], target);
    p = target;
    try {
      st = lstatSync(p);
    } catch {
      st = undefined;
    }
  }
  if (st) return { path: p, exists: true, isDir: st.isDirectory() };
  const parent = splitPathDirEntry(p)[0];
  let ps;
  try {
    ps = statSync(parent);
  } catch (e) {
    throw pathError('stat', parent, e);
  }
  if (!ps.isDirectory()) throw new StatusError('not a directory', 1);
  return { path: p, exists: false, isDir: false };
}

/**
 * PrepareArchiveCopy: the directory to extract into, and how to rename the archive's entries
 * (undefined: as they are).
 */
export function prepareArchiveCopy(src: CopyInfo, dst: CopyInfo): { dir: string; rename?: (name: string) => string } {
  const [dstDir, dstBase] = splitPathDirEntry(dst.path);
  // entries already renamed for a followed link carry that name
  const srcBase = src.rebaseName || splitPathDirEntry(src.path)[1];
  const rebase = (name: string): string => rebaseName(name, srcBase, dstBase);
  if (dst.exists && dst.isDir) return { dir: dst.path };
  if (dst.exists && src.isDir) throw new StatusError('cannot copy directory', 1);
  if (dst.exists) return { dir: dstDir, rename: rebase };
  if (src.isDir) return { dir: dstDir, rename: rebase };
  if (assertsDirectory(dst.path)) throw new StatusError('no such directory', 1);
  return { dir: dstDir, rename: rebase };
}

/** filepath.EvalSymlinks' failure: the first component of the path that cannot be lstat'ed. */
export function firstMissing(abs: string): { path: string; why: string } | undefined {
  const parts = abs.split('/').filter(Boolean);
  let cur = '';
  for (const part of parts) {
    cur += '/' + part;
    try {
      lstatSync(cur);
    } catch (e) {
      return { path: cur, why: errnoText(e) ?? 'no such file or directory' };
    }
  }
  return undefined;
}
