import { existsSync, lstatSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Cli } from '../../cli/cli.js';
import { exactArgs, type CommandNode } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { DaemonError } from '../../engine/errors.js';

export interface CpOptions {
  archive: boolean;
  followLink: boolean;
  quiet: boolean;
}

export const spec = dockerSpec<CpOptions>('container cp', { args: exactArgs(2), run: runCp });

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

export async function runCp(cli: Cli, o: CpOptions, [srcArg, dstArg]: string[]): Promise<void> {
  const src = splitArg(srcArg);
  const dst = splitArg(dstArg);
  if (src.container && dst.container) throw new StatusError('copying between containers is not supported', 1);
  if (!src.container && !dst.container) throw new StatusError('must specify at least one container source', 1);
  const engine = await cli.engine();
  const { default: tar } = await import('tar-fs');
  if (src.container) {
    const res = await engine.stream({ path: `/containers/${encodeURIComponent(src.container)}/archive`, query: { path: src.path } }).catch((e) => {
      if (e instanceof DaemonError && e.statusCode === 404 && !e.daemonMessage.startsWith('No such container')) {
        throw new DaemonError(`Could not find the file ${src.path} in container ${src.container}`, 404);
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
    let map = (n: string): string => n;
    if (!existsSync(target) || !statSync(target).isDirectory()) {
      if (!existsSync(dirname(target))) throw new StatusError(`lstat ${dirname(target)}: no such file or directory`, 1);
      dir = dirname(target);
      map = renamer(stat.name, basename(target));
    }
    await pipeline(res, tar.extract(dir, { map: (h) => ({ ...h, name: map(h.name) }), validateSymlinks: false } as Parameters<typeof tar.extract>[1]));
    return;
  }
  // local -> container
  let body: import("node:stream").Readable;
  let destDir = dst.path;
  if (src.path === '-') {
    body = cli.in.stream;
  } else {
    const local = resolve(cli.cwd, src.path);
    try {
      lstatSync(local);
    } catch {
      throw new StatusError(`lstat ${local}: no such file or directory`, 1);
    }
    let destIsDir = false;
    try {
      const head = await engine.stream({ method: 'HEAD', path: `/containers/${encodeURIComponent(dst.container!)}/archive`, query: { path: dst.path } });
      head.resume();
      const st = JSON.parse(Buffer.from(String(head.headers['x-docker-container-path-stat'] ?? 'e30='), 'base64').toString('utf8')) as { mode?: number };
      destIsDir = ((st.mode ?? 0) & 0x80000000) !== 0;
    } catch (e) {
      if (!(e instanceof DaemonError) || e.statusCode !== 404 || /No such container/.test(e.daemonMessage)) throw e;
    }
    const name = basename(local);
    const entryName = destIsDir ? name : basename(dst.path);
    if (!destIsDir) destDir = dirname(dst.path);
    body = (tar.pack as unknown as (d: string, o: unknown) => import('node:stream').Readable)(dirname(local), {
      entries: [name],
      dereference: o.followLink,
      map: (h: { name: string }) => ({ ...h, name: renamer(name, entryName)(h.name), ...(o.archive ? {} : { uid: 0, gid: 0 }) }),
    });
  }
  const res = await engine.stream({
    method: 'PUT',
    path: `/containers/${encodeURIComponent(dst.container!)}/archive`,
    query: { path: destDir, noOverwriteDirNonDir: 'true', copyUIDGID: o.archive ? 'true' : undefined },
    file: body as never,
    headers: { 'Content-Type': 'application/x-tar' },
  });
  res.resume();
}
