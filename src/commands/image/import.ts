import { createReadStream, existsSync } from 'node:fs';
import type { Cli } from '../../cli/cli.js';
import { rangeArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { optionalRepoTag } from '../../engine/refs.js';
import { displayJSONMessages, JSONMessageError } from '../../stream/progress.js';

export interface ImportOptions {
  change: string[];
  message: string;
  platform: string;
}

export const spec = dockerSpec<ImportOptions>('image import', { args: rangeArgs(1, 2), run: runImport });

export async function runImport(cli: Cli, o: ImportOptions, [source, ref]: string[]): Promise<void> {
  // docker opens the source first; the client's ImageImport checks the reference after
  const url = /^https?:\/\//.test(source);
  if (source !== '-' && !url && !existsSync(source)) throw new StatusError(`open ${source}: no such file or directory`, 1);
  const rt = optionalRepoTag(ref);
  if (rt instanceof Error) throw new StatusError(rt.message, 1);
  const query: Record<string, unknown> = { fromSrc: url ? source : '-', repo: rt.repo, tag: rt.tag, message: o.message || undefined, platform: o.platform || undefined };
  if (o.change.length) query.changes = o.change;
  const file = source === '-' ? cli.in.stream : url ? undefined : createReadStream(source);
  const engine = await cli.engine();
  const res = await engine.stream({ method: 'POST', path: '/images/create', query, file: file as never, headers: file ? { 'Content-Type': 'application/x-tar' } : undefined });
  try {
    await displayJSONMessages(res, cli.out.stream, { isTerminal: cli.out.isTTY });
  } catch (e) {
    if (e instanceof JSONMessageError) throw new StatusError(e.message, 1);
    throw e;
  }
}
