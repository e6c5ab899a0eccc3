import { lstatSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { createGzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { errnoText, StatusError } from '../../cli/errors.js';
import { goCleanPath } from '../../go/path.js';
import { jsonSyntaxError } from '../../go/json.js';
import { parseRef } from './common.js';

export interface PluginCreateOptions {
  compress: boolean;
}

export const spec = dockerSpec<PluginCreateOptions>('plugin create', { args: minArgs(2), run: runPluginCreate });

export async function runPluginCreate(cli: Cli, o: PluginCreateOptions, [name, dir]: string[]): Promise<void> {
  parseRef(name);
  const abs = goCleanPath(isAbsolute(dir) ? dir : resolve(cli.cwd, dir));
  let st;
  try {
    st = lstatSync(abs);
  } catch (e) {
    throw new StatusError(`lstat ${abs}: ${errnoText(e) ?? (e as Error).message}`, 1);
  }
  if (!st.isDirectory()) throw new StatusError('context must be a directory', 1);
  // docker decodes config.json (types.PluginConfig) before sending anything
  const cfgPath = goCleanPath(join(dir, 'config.json'));
  let text: string;
  try {
    text = readFileSync(isAbsolute(cfgPath) ? cfgPath : resolve(cli.cwd, cfgPath), 'utf8');
  } catch (e) {
    throw new StatusError(`open ${cfgPath}: ${errnoText(e) ?? (e as Error).message}`, 1);
  }
  const bad = jsonSyntaxError(text.trimEnd() === '' ? '' : text.slice(0, firstValueEnd(text)));
  if (bad) throw new StatusError(bad === 'unexpected end of JSON input' ? 'unexpected EOF' : bad, 1);
  const { default: tar } = await import('tar-fs');
  let body = tar.pack(abs) as unknown as Readable;
  if (o.compress) body = body.pipe(createGzip());
  const engine = await cli.engine();
  await engine.json({ method: 'POST', path: '/plugins/create', query: { name }, file: body, headers: { 'Content-Type': 'application/x-tar' } });
  cli.print(name + '\n');
}

/** json.Decoder reads one value: what follows the first complete value is not looked at. */
function firstValueEnd(text: string): number {
  let depth = 0;
  let inStr = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}
