import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Cli } from '../../cli/cli.js';
import { rangeArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { exportArchive } from '../../cli/contextarchive.js';
import { DEFAULT_CONTEXT, getMeta, getTls, storeFailure, validateContextName } from './common.js';

export type ContextExportOptions = Record<string, never>;

export const spec = dockerSpec<ContextExportOptions>('context export', { args: rangeArgs(1, 2), run: runContextExport });


export async function runContextExport(cli: Cli, _o: ContextExportOptions, args: string[]): Promise<void> {
  const name = args[0];
  const dest = args[1] ?? `${name}.dockercontext`;
  if (name !== DEFAULT_CONTEXT) {
    try {
      validateContextName(name);
    } catch (e) {
      throw storeFailure(e);
    }
  }
  let fd: number | undefined;
  if (dest === '-') {
    if (cli.out.isTTY) throw new StatusError('cowardly refusing to export to a terminal, specify a file path', 1);
  } else {
    // docker opens the file (O_EXCL) before it reads the context
    try {
      fd = openSync(resolve(cli.cwd, dest), 'wx', 0o600);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const why = err.code === 'EEXIST' ? 'file exists' : err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EACCES' ? 'permission denied' : err.message;
      throw new StatusError(`open ${dest}: ${why}`, 1);
    }
  }
  try {
    const archive = exportArchive(getMeta(cli, name), getTls(cli, name));
    if (fd === undefined) {
      await new Promise<void>((res, rej) => cli.out.stream.write(archive, (err) => (err ? rej(err) : res())));
      return;
    }
    writeSync(fd, archive);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  cli.warn(`Written file ${JSON.stringify(dest)}\n`);
}
