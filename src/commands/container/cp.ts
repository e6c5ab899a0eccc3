import { existsSync, lstatSync, statSync, type Stats } from 'node:fs';
import { Transform } from 'node:stream';
import { humanSize } from '../../format/humanize.js';
import { basename, dirname, posix, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Cli } from '../../cli/cli.js';
import { exactArgs, type CommandNode, type CommandSpec } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { DaemonError } from '../../engine/errors.js';

export interface CpOptions {
  archive: boolean;
  followLink: boolean;
  quiet: boolean;
}

export const spec: CommandSpec<CpOptions> = {
  ...dockerSpec<CpOptions>('container cp', { args: exactArgs(2), run: runCp }),
  // docker's Use has a second line, with "docker cp" written out
  usage: '[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tdocker cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
};

export function register(parent: CommandNode): CommandNode {
  return parent.add(spec);
}

/** "container:path" or a local path (a colon after a path separator is part of a local path). */
function splitArg(arg: string): { container?: string; path: string } {
  if (arg.startsWith('/') || arg.startsWith('.')) return { path: arg };
  const i = arg.indexOf(':');
  if (i <= 0) return { path: arg };
  return { container: arg.slice(0, i), path: arg.slice(i + 1) };
}

/** Rename the tar's top entry from `from` to `to` (what docker does when the destination is a new name). */
function renamer(from: string, to: string): (name: string) => string {
  return (name) => {
    const n = name.replace(/^\.\//, '');
    if (n === from) return to;
    if (n.startsWith(from + '/')) return to + n.slice(from.length);
    return n;
  };
}

const ERRNO: Record<string, string> = { ENOENT: 'no such file or directory', ENOTDIR: 'not a directory', EACCES: 'permission denied', ELOOP: 'too many levels of symbolic links' };

/** Go's *PathError text for a failed stat. */
function statError(op: string, path: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  return `${op} ${path}: ${ERRNO[code] ?? (e as Error).message}`;
}

/** filepath.Abs, keeping a trailing separator or "/." as docker's PreserveTrailingDotOrSeparator does. */
function absLocal(cwd: string, p: string): string {
  let abs = resolve(cwd, p);
  if (p.endsWith('/.') && !abs.endsWith('/.')) abs = (abs === '/' ? '' : abs) + '/.';
  else if (p.endsWith('/') && !abs.endsWith('/')) abs += '/';
  return abs;
}

/** docker's command.ValidateOutputPath, as cp uses it. */
function validateOutputPath(path: string): void {
  const clean = path.replace(/\/+$/, '') || '/';
  const dir = dirname(clean);
  if (dir !== '.' && !existsSync(dir)) {
    try {
      statSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new StatusError(`invalid output path: directory "${dir}" does not exist`, 1);
    }
  }
  let st: Stats | undefined;
  try {
    st = statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new StatusError(statError('stat', path, e), 1);
  }
  if (st && (st.isCharacterDevice() || st.isBlockDevice())) {
    throw new StatusError(`invalid output path: "${path}" must be a directory or a regular file: got a device`, 1);
  }
}

/** Counts the bytes passing through (the tar stream docker reports in its summary line). */
function counter(): Transform & { total: number } {
  const t = new Transform({
    transform(chunk: Buffer, _e, cb) {
      t.total += chunk.length;
      cb(null, chunk);
    },
  }) as Transform & { total: number };
  t.total = 0;
  return t;
}

const assertsDirectory = (p: string): boolean => p.endsWith('/') || p.endsWith('/.');

export async function runCp(cli: Cli, o: CpOptions, [srcArg, dstArg]: string[], inv?: { changed: Set<string> }): Promise<void> {
  if (srcArg === '') throw new StatusError('source can not be empty', 1);
  if (dstArg === '') throw new StatusError('destination can not be empty', 1);
  // docker prints its summary line (on stderr) only when stdout is a terminal, unless -q says otherwise
  const quiet = inv?.changed.has('quiet') ? o.quiet : !cli.out.isTTY;
  const src = splitArg(srcArg);
  const dst = splitArg(dstArg);
  if (src.container && dst.container) throw new StatusError('copying between containers is not supported', 1);
  if (!src.container && !dst.container) throw new StatusError('must specify at least one container source', 1);
  if (src.container && dst.path !== '-') validateOutputPath(absLocal(cli.cwd, dst.path));
  const engine = await cli.engine();
  const { default: tar } = await import('tar-fs');
  if (src.container) {
    let srcPath = src.path;
    let rebase: string | undefined;
    if (o.followLink) {
      // -L: a symbolic link is replaced by its target, which keeps the link's name
      try {
        const head = await engine.stream({ method: 'HEAD', path: `/containers/${encodeURIComponent(src.container)}/archive`, query: { path: srcPath } });
        head.resume();
        const st = JSON.parse(Buffer.from(String(head.headers['x-docker-container-path-stat'] ?? 'e30='), 'base64').toString('utf8')) as { mode?: number; linkTarget?: string };
        if (((st.mode ?? 0) & 0x08000000) !== 0 && st.linkTarget) {
          const parent = srcPath.replace(/\/+$/, '').replace(/[^/]*$/, '') || '.';
          const target = st.linkTarget.startsWith('/') ? st.linkTarget : posix.join(parent, st.linkTarget);
          rebase = basename(srcPath.replace(/\/+$/, ''));
          srcPath = target;
        }
      } catch (e) {
        if (!(e instanceof DaemonError)) throw e;
      }
    }
    const res = await engine.stream({ path: `/containers/${encodeURIComponent(src.container)}/archive`, query: { path: srcPath } }).catch((e) => {
      if (e instanceof DaemonError && e.statusCode === 404 && !e.daemonMessage.startsWith('No such container')) {
        throw new DaemonError(`Could not find the file ${srcPath} in container ${src.container}`, 404);
      }
      throw e;
    });
    if (dst.path === '-') {
      await pipeline(res, cli.out.stream, { end: false });
      return;
    }
    const stat = JSON.parse(Buffer.from(String(res.headers['x-docker-container-path-stat'] ?? 'e30='), 'base64').toString('utf8')) as { name: string };
    const target = resolve(cli.cwd, dst.path);
    let dir = target;
    let map = rebase ? renamer(stat.name, rebase) : (n: string): string => n;
    if (!existsSync(target) || !statSync(target).isDirectory()) {
      if (assertsDirectory(dst.path) && !existsSync(target)) throw new StatusError('no such directory', 1);
      if (!existsSync(dirname(target))) throw new StatusError(`lstat ${dirname(target)}: no such file or directory`, 1);
      dir = dirname(target);
      map = renamer(stat.name, basename(target));
    }
    const count = counter();
    const extract = tar.extract(dir, { map: (h) => ({ ...h, name: map(h.name) }), validateSymlinks: false } as Parameters<typeof tar.extract>[1]);
    if (quiet) await pipeline(res, extract);
    else await pipeline(res, count, extract);
    if (!quiet) cli.warn(`Successfully copied ${humanSize(count.total)} to ${absLocal(cli.cwd, dst.path)}\n`);
    return;
  }
  // local -> container
  let body: import('node:stream').Readable;
  let destDir = dst.path;
  let destExists = false;
  let destIsDir = false;
  try {
    const head = await engine.stream({ method: 'HEAD', path: `/containers/${encodeURIComponent(dst.container!)}/archive`, query: { path: dst.path } });
    head.resume();
    const st = JSON.parse(Buffer.from(String(head.headers['x-docker-container-path-stat'] ?? 'e30='), 'base64').toString('utf8')) as { mode?: number };
    destExists = true;
    destIsDir = ((st.mode ?? 0) & 0x80000000) !== 0;
  } catch (e) {
    // as docker: a failed stat means "assume the parent exists"; only a missing container is fatal
    if (!(e instanceof DaemonError) || /No such container/.test(e.daemonMessage)) throw e;
  }
  let count: (Transform & { total: number }) | undefined;
  if (src.path === '-') {
    if (!destIsDir) throw new StatusError(`destination "${dst.container}:${dst.path}" must be a directory`, 1);
    body = cli.in.stream;
  } else {
    const local = absLocal(cli.cwd, src.path);
    let srcStat: Stats;
    try {
      srcStat = lstatSync(local);
      if (o.followLink) srcStat = statSync(local);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') throw new StatusError('not a directory', 1);
      throw new StatusError(statError('lstat', local.replace(/\/\.?$/, '') || '/', e), 1);
    }
    if (assertsDirectory(src.path) && !srcStat.isDirectory()) throw new StatusError('not a directory', 1);
    if (destExists && !destIsDir && srcStat.isDirectory()) throw new StatusError('cannot copy directory', 1);
    if (!destExists && !srcStat.isDirectory() && assertsDirectory(dst.path)) throw new StatusError('no such directory', 1);
    const localClean = local.replace(/\/\.?$/, '') || '/';
    const name = basename(localClean);
    const entryName = destIsDir ? name : basename(dst.path);
    if (!destIsDir) destDir = dirname(dst.path);
    body = (tar.pack as unknown as (d: string, o: unknown) => import('node:stream').Readable)(dirname(localClean), {
      entries: [name],
      dereference: o.followLink,
      map: (h: { name: string }) => ({ ...h, name: renamer(name, entryName)(h.name), ...(o.archive ? {} : { uid: 0, gid: 0 }) }),
    });
    if (!quiet) body = body.pipe((count = counter()));
  }
  const res = await engine.stream({
    method: 'PUT',
    path: `/containers/${encodeURIComponent(dst.container!)}/archive`,
    query: { path: destDir, noOverwriteDirNonDir: 'true', copyUIDGID: o.archive ? 'true' : undefined },
    file: body as never,
    headers: { 'Content-Type': 'application/x-tar' },
  });
  res.resume();
  if (!quiet) cli.warn(`Successfully copied ${humanSize(count?.total ?? 0)} to ${dst.container}:${dst.path}\n`);
}
