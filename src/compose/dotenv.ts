/**
 * `.env` and `env_file` parsing as compose-go's dotenv package reads them: `KEY=VALUE` lines, an
 * optional `export ` prefix, `#` comments, single quotes (literal), double quotes (escapes,
 * interpolation, several lines), unquoted values (trimmed, a ` #` starts a comment, interpolated),
 * and a bare `KEY` that takes its value from the lookup (left out when the lookup has none).
 */
import { substitute, type Mapping } from './template.js';

export class DotEnvError extends Error {}

const KEY = /^[A-Za-z_][A-Za-z0-9_.\-[\]]*/;

/** Parse dotenv text. `lookup` gives values for interpolation and bare keys (after the file's own). */
export function parseDotEnv(text: string, lookup: Mapping = () => undefined): Map<string, string> {
  const out = new Map<string, string>();
  const env: Mapping = (k) => (out.has(k) ? out.get(k) : lookup(k));
  let src = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  while (src.length > 0) {
    src = src.replace(/^[ \t\n]+/, '');
    if (src === '') break;
    if (src[0] === '#') {
      const nl = src.indexOf('\n');
      src = nl < 0 ? '' : src.slice(nl + 1);
      continue;
    }
    if (src.startsWith('export ') || src.startsWith('export\t')) src = src.slice(7).replace(/^[ \t]+/, '');
    const km = KEY.exec(src);
    if (!km) {
      const line = src.split('\n')[0];
      throw new DotEnvError(`unexpected character "${line[0]}" in variable name near "${line}"`);
    }
    const key = km[0];
    src = src.slice(key.length).replace(/^[ \t]+/, '');
    if (src === '' || src[0] === '\n' || src[0] === '#') {
      // a bare key: inherited from the environment
      const v = lookup(key);
      if (v !== undefined) out.set(key, v);
      const nl = src.indexOf('\n');
      src = nl < 0 ? '' : src.slice(nl + 1);
      continue;
    }
    if (src[0] !== '=' && src[0] !== ':') {
      const line = (key + src).split('\n')[0];
      throw new DotEnvError(`unexpected character "${src[0]}" in variable name near "${line}"`);
    }
    src = src.slice(1).replace(/^[ \t]+/, '');
    const q = src[0];
    if (q === "'" || q === '"') {
      let end = 1;
      while (end < src.length) {
        if (src[end] === '\\' && q === '"') {
          end += 2;
          continue;
        }
        if (src[end] === q) break;
        end++;
      }
      if (end >= src.length) throw new DotEnvError(`unterminated quoted value ${src.split('\n')[0]}`);
      const raw = src.slice(1, end);
      src = src.slice(end + 1);
      const nl = src.indexOf('\n');
      src = nl < 0 ? '' : src.slice(nl + 1);
      if (q === "'") out.set(key, raw);
      else {
        const unescaped = raw.replace(/\\(.)/g, (_, c: string) =>
          c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c === '"' ? '"' : c === '\\' ? '\\' : c === '$' ? '$$' : '\\' + c);
        out.set(key, substitute(unescaped, env));
      }
      continue;
    }
    const nl = src.indexOf('\n');
    let value = nl < 0 ? src : src.slice(0, nl);
    src = nl < 0 ? '' : src.slice(nl + 1);
    const hash = value.search(/[ \t]#/);
    if (hash >= 0) value = value.slice(0, hash);
    out.set(key, substitute(value.trim(), env));
  }
  return out;
}
