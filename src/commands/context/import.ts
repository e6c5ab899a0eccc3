import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { importArchive } from '../../cli/contextarchive.js';
import { checkNameForCreation, contextStore, storeFailure } from './common.js';

export type ContextImportOptions = Record<string, never>;

export const spec = dockerSpec<ContextImportOptions>('context import', { args: exactArgs(2), run: runContextImport });


async function readAll(cli: Cli): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of cli.in.stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks);
}

export async function runContextImport(cli: Cli, _o: ContextImportOptions, [name, source]: string[]): Promise<void> {
  checkNameForCreation(cli, name);
  let data: Buffer;
  if (source === '-') data = await readAll(cli);
  else {
    try {
      data = readFileSync(resolve(cli.cwd, source));
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const why = err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a directory' : err.message;
      throw new StatusError(`open ${source}: ${why}`, 1);
    }
  }
  const store = contextStore(cli);
  try {
    const { meta, tls } = importArchive(name, data);
    store.createOrUpdate(meta);
    store.resetTls(name, tls);
  } catch (e) {
    throw storeFailure(e);
  }
  cli.print(name + '\n');
  cli.warn(`Successfully imported context ${JSON.stringify(name)}\n`);
}
