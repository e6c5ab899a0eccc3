/**
 * docker inspect output: the engine's raw JSON re-indented as Go's json.Indent does (keeping the
 * engine's own escapes and number texts), or a template run on the typed object first and, when that
 * fails, on the plain JSON map with missingkey=error (docker/cli's inspect behaviour).
 */
import { parseTemplate, TemplateError } from './template/index.js';
import { GoFloat, GoInt, type GoValue } from './template/values.js';
import { toTyped } from './typed/typed.js';

/**
 * Go's json.Indent(dst, src, "", "    ") on compact or pretty JSON text. Strings and literals are
 * copied as slices of the source and the pieces joined once (a character at a time, the output of
 * 200 containers was a rope of millions of one-character pieces for the collector).
 */
export function indentJSON(src: string, indent = '    ', prefix = ''): string {
  const parts: string[] = [];
  const nls: string[] = [];
  const nl = (d: number): string => (nls[d] ??= '\n' + prefix + indent.repeat(d));
  const n = src.length;
  let depth = 0;
  let needIndent = false;
  let i = 0;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    if (needIndent && c !== 93 && c !== 125) {
      needIndent = false;
      depth++;
      parts.push(nl(depth));
    }
    switch (c) {
      case 34: {
        // a string, escapes included, up to its closing quote (or the end of a truncated text)
        let j = i + 1;
        while (j < n) {
          const k = src.charCodeAt(j);
          if (k === 34) break;
          j += k === 92 ? 2 : 1;
        }
        parts.push(src.slice(i, j + 1));
        i = j + 1;
        break;
      }
      case 123:
      case 91:
        parts.push(c === 123 ? '{' : '[');
        needIndent = true;
        i++;
        break;
      case 44:
        parts.push(',', nl(depth));
        i++;
        break;
      case 58:
        parts.push(': ');
        i++;
        break;
      case 125:
      case 93:
        if (needIndent) {
          needIndent = false; // empty: {} or []
        } else {
          depth--;
          parts.push(nl(depth));
        }
        parts.push(c === 125 ? '}' : ']');
        i++;
        break;
      default: {
        // a number, true, false or null: up to the next structural character or space
        let j = i + 1;
        while (j < n) {
          const k = src.charCodeAt(j);
          if (k === 44 || k === 125 || k === 93 || k === 58 || k === 34 || k === 123 || k === 91 || k === 32 || k === 9 || k === 10 || k === 13) break;
          j++;
        }
        parts.push(src.slice(i, j));
        i = j;
      }
    }
  }
  return parts.join('');
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

const parsedTemplates = new Map<string, ReturnType<typeof parseTemplate>>();
const parsedMapTemplates = new Map<string, ReturnType<typeof parseTemplate>>();

/** Run a --format template on one object: typed first, then the raw map (missingkey=error). */
export function inspectTemplate(format: string, raw: unknown, kind: string): string {
  const text = format === 'json' ? '{{json .}}' : format;
  let typedT;
  let mapT;
  try {
    // parsed once for all the objects of one inspect, not twice per object
    typedT = parsedTemplates.get(text);
    if (!typedT) parsedTemplates.set(text, (typedT = parseTemplate(text)));
    mapT = parsedMapTemplates.get(text);
    if (!mapT) parsedMapTemplates.set(text, (mapT = parseTemplate(text, { missingKeyError: true })));
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
