import { existsSync, lstatSync, statSync, type Stats } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { dirname, join, posix, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Cli } from '../../cli/cli.js';
import { exactArgs, type CommandSpec } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { DaemonError } from '../../engine/errors.js';
import { syncFs } from '../../stream/syncfs.js';
import type { EngineClient } from '../../cli/engine-client.js';
import { packEntries, walkContext } from '../../engine/tarpack.js';
import { copyInfoDestinationPath, copyInfoSourcePath, getRebaseName, pathError, prepareArchiveCopy, rebaseName, splitPathDirEntry, type CopyInfo } from '../../engine/copyinfo.js';
import { humanSize } from '../../go/units.js';
import { logLine } from '../../go/log.js';

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

/** "container:path" or a local path (a colon after a path separator is part of a local path). */
function splitArg(arg: string): { container?: string; path: string } {
  if (arg.startsWith('/') || arg.startsWith('.')) return { path: arg };
  const i = arg.indexOf(':');
  if (i <= 0) return { path: arg };
  return { container: arg.slice(0, i), path: arg.slice(i + 1) };
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
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw pathError('stat', path, e);
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

/** Go's os.FileMode bits in the engine's path stat. */
const MODE_DIR = 2 ** 31;
const MODE_SYMLINK = 2 ** 27;
const MODE_DEVICE = 2 ** 26;
const MODE_IRREGULAR = 2 ** 19;

interface PathStat {
  name: string;
  mode: number;
  linkTarget?: string;
}

function decodeStat(header: unknown): PathStat {
  return JSON.parse(Buffer.from(String(header ?? 'e30='), 'base64').toString('utf8')) as PathStat;
}

/** The engine's stat of a path in the container (HEAD /containers/{id}/archive). */
async function statPath(engine: EngineClient, container: string, path: string): Promise<PathStat> {
  const head = await engine.stream({ method: 'HEAD', path: `/containers/${encodeURIComponent(container)}/archive`, query: { path } });
  head.resume();
  return decodeStat(head.headers['x-docker-container-path-stat']);
}

const isNoSuchContainer = (e: unknown): boolean => e instanceof DaemonError && /No such container/.test(e.daemonMessage);

export async function runCp(cli: Cli, o: CpOptions, [srcArg, dstArg]: string[], inv?: { changed: Set<string> }): Promise<void> {
  if (srcArg === '') throw new StatusError('source can not be empty', 1);
  if (dstArg === '') throw new StatusError('destination can not be empty', 1);
  // docker prints its summary line (on stderr) only when stdout is a terminal, unless -q says otherwise
  const quiet = inv?.changed.has('quiet') ? o.quiet : !cli.out.isTTY;
  const src = splitArg(srcArg);
  const dst = splitArg(dstArg);
  if (src.container && dst.container) throw new StatusError('copying between containers is not supported', 1);
  if (!src.container && !dst.container) throw new StatusError('must specify at least one container source', 1);
  if (src.container) await copyFromContainer(cli, o, quiet, src.container, src.path, dst.path);
  else await copyToContainer(cli, o, quiet, src.path, dst.container!, dst.path);
}

async function copyFromContainer(cli: Cli, o: CpOptions, quiet: boolean, container: string, srcArgPath: string, dstArgPath: string): Promise<void> {
  const dstPath = dstArgPath === '-' ? '-' : absLocal(cli.cwd, dstArgPath);
  if (dstPath !== '-') validateOutputPath(dstPath);
  const engine = await cli.engine();
  let srcPath = srcArgPath;
  let rebase: string | undefined;
  if (o.followLink) {
    // -L: a link is replaced by its target, which keeps the link's name
    try {
      const st = await statPath(engine, container, srcPath);
      if ((st.mode & MODE_SYMLINK) !== 0 && st.linkTarget) {
        const target = st.linkTarget.startsWith('/') ? st.linkTarget : posix.join(splitPathDirEntry(srcPath)[0], st.linkTarget);
        [srcPath, rebase] = getRebaseName(srcPath, target);
      }
    } catch (e) {
      if (!(e instanceof DaemonError)) throw e;
    }
  }
  const { body: res, headers } = await engine.streamBody(`/containers/${encodeURIComponent(container)}/archive`, { path: srcPath }).catch((e) => {
    if (e instanceof DaemonError && e.statusCode === 404 && !e.daemonMessage.startsWith('No such container')) {
      throw new DaemonError(`Could not find the file ${srcPath} in container ${container}`, 404);
    }
    throw e;
  });
  if (dstPath === '-') {
    await pipeline(res, cli.out.stream, { end: false });
    return;
  }
  const stat = decodeStat(headers['x-docker-container-path-stat']);
  const srcInfo: CopyInfo = { path: srcPath, exists: true, isDir: (stat.mode & MODE_DIR) !== 0, rebaseName: rebase };
  let dstInfo: CopyInfo;
  let prepared;
  try {
    dstInfo = copyInfoDestinationPath(dstPath);
    prepared = prepareArchiveCopy(srcInfo, dstInfo);
  } catch (e) {
    res.destroy();
    throw e;
  }
  const renames: ((n: string) => string)[] = [];
  if (rebase) {
    const srcBase = splitPathDirEntry(srcPath)[1];
    renames.push((n) => rebaseName(n, srcBase, rebase));
  }
  if (prepared.rename) renames.push(prepared.rename);
  const { default: tar } = await import('tar-fs');
  const extract = tar.extract(prepared.dir, {
    map: (h) => ({ ...h, name: renames.reduce((n, f) => f(n), h.name) }),
    validateSymlinks: false,
    fs: syncFs,
  } as Parameters<typeof tar.extract>[1]);
  const count = counter();
  if (quiet) await pipeline(res, extract);
  else await pipeline(res, count, extract);
  if (!quiet) cli.warn(`Successfully copied ${humanSize(count.total)} to ${dstPath}\n`);
}

async function copyToContainer(cli: Cli, o: CpOptions, quiet: boolean, srcArgPath: string, container: string, dstPath: string): Promise<void> {
  const srcPath = srcArgPath === '-' ? '-' : absLocal(cli.cwd, srcArgPath);
  const engine = await cli.engine();
  const dstInfo: CopyInfo = { path: dstPath, exists: false, isDir: false };
  const mustBeFileOrDir = (mode: number): void => {
    const what = (mode & MODE_DEVICE) !== 0 ? 'got a device' : (mode & MODE_IRREGULAR) !== 0 ? 'got an irregular file' : '';
    if (what) throw new StatusError(`destination "${container}:${dstPath}" must be a directory or a regular file: ${what}`, 1);
  };
  // a failed stat means "assume the parent exists" (the engine reports any conflict); only a missing
  // container is fatal. A link at the destination is followed (a dangling one names the new file).
  let st: PathStat | undefined;
  try {
    st = await statPath(engine, container, dstPath);
    if ((st.mode & MODE_SYMLINK) !== 0) {
      let target = st.linkTarget ?? '';
      if (!target.startsWith('/')) target = posix.join(splitPathDirEntry(dstPath)[0], target);
      dstInfo.path = target;
      st = undefined;
      st = await statPath(engine, container, target);
    }
  } catch (e) {
    if (!(e instanceof DaemonError) || isNoSuchContainer(e)) throw e;
  }
  if (st) {
    mustBeFileOrDir(st.mode);
    dstInfo.exists = true;
    dstInfo.isDir = (st.mode & MODE_DIR) !== 0;
  }
  let body: Readable;
  let packing: string | undefined;
  let dstDir: string;
  let count: (Transform & { total: number }) | undefined;
  if (srcPath === '-') {
    if (!dstInfo.isDir) throw new StatusError(`destination "${container}:${dstPath}" must be a directory`, 1);
    body = cli.in.stream;
    dstDir = dstInfo.path;
  } else {
    const srcInfo = copyInfoSourcePath(srcPath, o.followLink);
    const prepared = prepareArchiveCopy(srcInfo, dstInfo);
    dstDir = prepared.dir;
    // TarResource: the source's parent directory, holding just the source entry ("dir/." holds the
    // directory's content as "./name"), the entry renamed for a followed link
    const [sourceDir, sourceBase] = splitPathDirEntry(srcInfo.path);
    const renames: ((n: string) => string)[] = [];
    if (sourceBase === '.') renames.push((n) => (n === '.' ? n : `./${n}`));
    if (srcInfo.rebaseName) {
      const to = srcInfo.rebaseName;
      renames.push((n) => (n === sourceBase || n.startsWith(`${sourceBase}/`) ? to + n.slice(sourceBase.length) : n));
    }
    if (prepared.rename) renames.push(prepared.rename);
    // archive.TarWithOptions: the source, then (a directory) what is below it, depth first in
    // lexical order; hard links as links; Go's tar headers
    const entries = (): string[] => {
      const top = join(sourceDir, sourceBase);
      if (!lstatSync(top).isDirectory()) return [sourceBase];
      // an unreadable directory is left out (docker logs it and goes on)
      const below = walkContext(top, () => false, [], () => undefined, (line) => cli.warn(line));
      return [sourceBase, ...below.map((n) => (sourceBase === '.' ? n : `${sourceBase}/${n}`))];
    };
    body = await packEntries(sourceDir, entries, { rename: (name) => renames.reduce((n, f) => f(n), name), keepOwners: o.archive, onPath: (p) => (packing = p) });
    if (!quiet) body = body.pipe((count = counter()));
  }
  const res = await engine
    .stream({
      method: 'PUT',
      path: `/containers/${encodeURIComponent(container)}/archive`,
      query: { path: dstDir, noOverwriteDirNonDir: 'true', copyUIDGID: o.archive ? 'true' : undefined },
      file: body as never,
      headers: { 'Content-Type': 'application/x-tar' },
    })
    .catch((e: unknown) => {
      // the upload cut short: docker's tar writer logs the file it was adding and its close, both
      // failing on the closed pipe, before the request's own error
      if (packing && e instanceof Error && /: write unix .*: write: /.test(e.message)) {
        cli.warn(logLine('error', `Can't add file ${packing} to tar: io: read/write on closed pipe`));
        cli.warn(logLine('error', `Can't close tar writer: io: read/write on closed pipe`));
      }
      throw e;
    });
  res.resume();
  if (!quiet) cli.warn(`Successfully copied ${humanSize(count?.total ?? 0)} to ${container}:${dstPath}\n`);
}
