import { createWriteStream, renameSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Cli } from '../../cli/cli.js';
import { exactArgs, type CommandNode } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';

export interface ExportOptions {
  output: string;
}

export const spec = dockerSpec<ExportOptions>('container export', { args: exactArgs(1), run: runExport });

export function register(parent: CommandNode): CommandNode {
  return parent.add(spec);
}

export async function runExport(cli: Cli, o: ExportOptions, [name]: string[]): Promise<void> {
  if (!o.output && cli.out.isTTY) throw new StatusError('cowardly refusing to save to a terminal. Use the -o flag or redirect', 1);
  const engine = await cli.engine();
  const res = await engine.stream({ path: `/containers/${encodeURIComponent(name)}/export` });
  if (o.output) {
    const tmp = `${o.output}.tdocker-tmp`;
    await pipeline(res, createWriteStream(tmp));
    renameSync(tmp, o.output);
  } else {
    await pipeline(res, cli.out.stream, { end: false });
  }
}
