import { closeSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { errnoText, StatusError, UnexpectedEOF } from '../../cli/errors.js';

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
  if (o.output) await copyToFile(res, o.output);
  else {
    try {
      await pipeline(res, cli.out.stream, { end: false });
    } catch (e) {
      throw readError(e);
    }
  }
}

/** the engine gone before the archive ended (node's 'aborted'): Go's body reader says unexpected EOF */
function readError(e: unknown): unknown {
  return (e as NodeJS.ErrnoException).code === 'ECONNRESET' ? new UnexpectedEOF() : e;
}

/**
 * docker's command.CopyToFile: an atomic writer (a temporary file beside the target, mode 0600,
 * renamed over it when closed). Only a failed write removes the temporary file: an archive cut short
 * by the engine is renamed into place as far as it came, and the read error is the command's.
 */
async function copyToFile(res: Readable, output: string): Promise<void> {
  const tmp = join(dirname(output), `.tmp-${basename(output)}${Math.floor(Math.random() * 1e9)}`);
  const fd = openSync(tmp, 'wx', 0o600);
  let failure: unknown;
  try {
    for await (const chunk of res as AsyncIterable<Buffer>) writeAll(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).syscall === 'write') {
      closeSync(fd);
      rmSync(tmp, { force: true });
      throw e;
    }
    failure = readError(e);
  }
  closeSync(fd);
  renameSync(tmp, output);
  if (failure) throw failure;
}

function writeAll(fd: number, b: Buffer): void {
  for (let off = 0; off < b.length; ) off += writeSync(fd, b, off);
}
