/**
 * docker inspect output: the engine's raw JSON re-indented as Go's json.Indent does (keeping the
 * engine's own escapes and number texts), or a template run on the typed object first and, when that
 * fails, on the plain JSON map with missingkey=error (docker/cli's inspect behaviour).
 */
import { parseTemplate, TemplateError } from './template/index.js';
import { GoFloat, GoInt, type GoValue } from './template/values.js';
import { toTyped } from './typed/typed.js';

/** Go's json.Indent(dst, src, "", "    ") on compact or pretty JSON text. */
export function indentJSON(src: string, indent = '    ', prefix = ''): string {
  let out = '';
  let depth = 0;
  let inString = false;
  let needIndent = false;
  const nl = (): string => '\n' + prefix + indent.repeat(depth);
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (inString) {
      out += c;
      if (c === '\\') {
        out += src[++i];
      } else if (c === '"') inString = false;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (needIndent && c !== ']' && c !== '}') {
      needIndent = false;
      depth++;
      out += nl();
    }
    switch (c) {
      case '"':
        inString = true;
        out += c;
        break;
      case '{':
      case '[':
        out += c;
        needIndent = true;
        break;
      case ',':
        out += c + nl();
        break;
      case ':':
        out += ': ';
        break;
      case '}':
      case ']':
        if (needIndent) {
          needIndent = false; // empty: {} or []
        } else {
          depth--;
          out += nl();
        }
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

/** The default inspect output for raw JSON texts of the objects found. */
export function inspectJSON(raws: string[]): string {
  if (raws.length === 0) return '[]\n';
  return indentJSON('[' + raws.join(',') + ']') + '\n';
}

/** docker decodes the fallback map with UseNumber: numbers stay json.Number and print as their text. */
function jsonNumbers(v: unknown): GoValue {
  if (typeof v === 'number') return Number.isInteger(v) ? new GoInt(v, 'json.Number') : new GoFloat(v, 'json.Number');
  if (Array.isArray(v)) return v.map(jsonNumbers);
  if (v && typeof v === 'object') {
    const o: Record<string, GoValue> = {};
    for (const [k, x] of Object.entries(v)) o[k] = jsonNumbers(x);
    return o;
  }
  return v as GoValue;
}

export class InspectTemplateError extends Error {}

/** Check a --format template before anything is asked of the engine: docker's parse error, or nothing. */
export function checkInspectTemplate(format: string): void {
  if (!format || format === 'json') return;
  try {
    parseTemplate(format);
  } catch (e) {
    if (e instanceof TemplateError) throw new InspectTemplateError(`template parsing error: ${e.message}`);
    throw e;
  }
}

/** Run a --format template on one object: typed first, then the raw map (missingkey=error). */
export function inspectTemplate(format: string, raw: unknown, kind: string): string {
  const text = format === 'json' ? '{{json .}}' : format;
  let typedT;
  let mapT;
  try {
    typedT = parseTemplate(text);
    mapT = parseTemplate(text, { missingKeyError: true });
  } catch (e) {
    if (e instanceof TemplateError) throw new InspectTemplateError(`template parsing error: ${e.message}`);
    throw e;
  }
  try {
    return typedT.execute(toTyped(raw, kind));
  } catch (e) {
    if (!(e instanceof TemplateError)) throw e;
  }
  try {
    return mapT.execute(jsonNumbers(raw));
  } catch (e) {
    if (e instanceof TemplateError) throw new InspectTemplateError(`template parsing error: ${e.message}`);
    throw e;
  }
}
