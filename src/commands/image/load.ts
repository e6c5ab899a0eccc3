import { createReadStream, existsSync } from 'node:fs';
import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { displayJSONMessages, JSONMessageError } from '../../stream/progress.js';

export interface LoadOptions {
  input: string;
  quiet: boolean;
  platform: string[];
}

export const spec = dockerSpec<LoadOptions>('image load', { args: noArgs, run: runLoad });

export async function runLoad(cli: Cli, o: LoadOptions): Promise<void> {
  if (!o.input && cli.in.isTTY) throw new StatusError('requested load from stdin, but stdin is empty', 1);
  if (o.input && !existsSync(o.input)) throw new StatusError(`open ${o.input}: no such file or directory`, 1);
  const body = o.input ? createReadStream(o.input) : cli.in.stream;
  const engine = await cli.engine();
  const res = await engine.stream({ method: 'POST', path: '/images/load', query: { quiet: o.quiet || !cli.out.isTTY ? '1' : '0' }, file: body as never });
  try {
    await displayJSONMessages(res, cli.out.stream, { isTerminal: cli.out.isTTY });
  } catch (e) {
    if (e instanceof JSONMessageError) throw new StatusError(e.message, 1);
    throw e;
  }
}
