import { createWriteStream, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { errnoText, StatusError } from '../../cli/errors.js';

export interface SaveOptions {
  output: string;
  platform: string[];
}

export const spec = dockerSpec<SaveOptions>('image save', { args: minArgs(1), run: runSave });

export async function runSave(cli: Cli, o: SaveOptions, names: string[]): Promise<void> {
  if (!o.output && cli.out.isTTY) throw new StatusError('cowardly refusing to save to a terminal. Use the -o flag or redirect', 1);
  if (o.output) {
    // command.ValidateOutputPath: the directory must exist and be a directory
    const dir = dirname(o.output);
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch (e) {
      throw new StatusError(`failed to save image: invalid output path: stat ${dir}: ${errnoText(e) ?? 'no such file or directory'}`, 1);
    }
    if (!isDir) throw new StatusError(`failed to save image: invalid output path: stat ${dir}: not a directory`, 1);
    let target = false;
    try {
      target = statSync(o.output).isDirectory();
    } catch {
      // a new file
    }
    if (target) throw new StatusError('failed to save image: cannot write to a directory', 1);
  }
  const engine = await cli.engine();
  const res = await engine.stream({ path: '/images/get', query: { names } });
  if (o.output) {
    const tmp = `${o.output}.tdocker-tmp`;
    try {
      await pipeline(res, createWriteStream(tmp));
    } catch (e) {
      throw new StatusError(`failed to save image: ${(e as Error).message}`, 1);
    }
    renameSync(tmp, o.output);
  } else {
    await pipeline(res, cli.out.stream, { end: false });
  }
}
