import { createReadStream, existsSync } from 'node:fs';
import type { Cli } from '../../cli/cli.js';
import { rangeArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { splitRepoTag } from '../../engine/refs.js';
import { displayJSONMessages, JSONMessageError } from '../../stream/progress.js';

export interface ImportOptions {
  change: string[];
  message: string;
  platform: string;
}

export const spec = dockerSpec<ImportOptions>('image import', { args: rangeArgs(1, 2), run: runImport });

export async function runImport(cli: Cli, o: ImportOptions, [source, ref]: string[]): Promise<void> {
  let repo: string | undefined;
  let tag: string | undefined;
  if (ref) {
    const r = splitRepoTag(ref);
    if (r instanceof Error) throw new StatusError(r.message, 1);
    repo = r.repo;
    tag = r.tag;
  }
  const query: Record<string, unknown> = { repo, tag, message: o.message || undefined, platform: o.platform || undefined };
  if (o.change.length) query.changes = o.change;
  let file;
  if (source === '-') {
    query.fromSrc = '-';
    file = cli.in.stream;
  } else if (/^https?:\/\//.test(source)) {
    query.fromSrc = source;
  } else {
    if (!existsSync(source)) throw new StatusError(`open ${source}: no such file or directory`, 1);
    query.fromSrc = '-';
    file = createReadStream(source);
  }
  const engine = await cli.engine();
  const res = await engine.stream({ method: 'POST', path: '/images/create', query, file: file as never, headers: file ? { 'Content-Type': 'application/x-tar' } : undefined });
  try {
    await displayJSONMessages(res, cli.out.stream, { isTerminal: cli.out.isTTY });
  } catch (e) {
    if (e instanceof JSONMessageError) throw new StatusError(e.message, 1);
    throw e;
  }
}
