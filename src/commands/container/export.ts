import { createWriteStream, renameSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { errnoText, StatusError } from '../../cli/errors.js';

export interface ExportOptions {
  output: string;
}

export const spec = dockerSpec<ExportOptions>('container export', { args: exactArgs(1), run: runExport });

/** docker export's output path checks (before anything is asked of the daemon). */
function validateOutput(output: string): void {
  const fail = (m: string): never => {
    throw new StatusError(`failed to export container: ${m}`, 1);
  };
  const dir = dirname(output);
  try {
    if (!statSync(dir).isDirectory()) fail(`invalid output path: stat ${dir}: not a directory`);
  } catch (e) {
    if (e instanceof StatusError) throw e;
    fail(`invalid output path: stat ${dir}: ${errnoText(e) ?? (e as Error).message}`);
  }
  try {
    const st = statSync(output);
    if (st.isDirectory()) fail('cannot write to a directory');
    if (st.isCharacterDevice()) fail('cannot write to a character device file');
    if (st.isBlockDevice()) fail('cannot write to a block device file');
  } catch (e) {
    if (e instanceof StatusError) throw e;
  }
}

export async function runExport(cli: Cli, o: ExportOptions, [name]: string[]): Promise<void> {
  if (!o.output && cli.out.isTTY) throw new StatusError('cowardly refusing to save to a terminal. Use the -o flag or redirect', 1);
  if (o.output) validateOutput(o.output);
  const engine = await cli.engine();
  const res = await engine.stream({ path: `/containers/${encodeURIComponent(name)}/export` });
  if (o.output) {
    const tmp = `${o.output}.tdocker-tmp`;
    try {
      await pipeline(res, createWriteStream(tmp));
      renameSync(tmp, o.output);
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        // already gone
      }
      throw e;
    }
  } else {
    await pipeline(res, cli.out.stream, { end: false });
  }
}
