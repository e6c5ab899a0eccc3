/**
 * docker/cli's list formatter (cli/command/formatter.Context, docker 28):
 *
 *   renderList(format, rows, spec)
 *
 * - format is what the command decided (see chooseFormat): `table` / `` (the spec's default table),
 *   `table TEMPLATE`, `json` (`{{json .}}` per row), or any template. A format starting with "table"
 *   is a table: the rest is the template. Spaces around it are trimmed and the two-character
 *   escapes `\t` and `\n` become tab and newline, as docker's preFormat does.
 * - every row is executed and followed by "\n"; the first execution error stops everything and
 *   nothing is printed (FormatExecError, docker: `template parsing error: <Go error>`).
 * - a table gets a header line: the same template executed over docker's SubHeaderContext (a
 *   map[string]string of column titles with a Label method; unknown keys print `<no value>`), with
 *   docker's HeaderFunctions (json, split, join, title, lower, upper, truncate return their argument
 *   unchanged); a header execution error is ignored. Header and rows then go through tabwriter
 *   (10, 1, 3, ' ', 0).
 * - rows are GoStructs built by contexts/*.ts (methods = the context's Go methods).
 */
import { NO_VALUE, parseTemplate, TemplateError, type Template } from './template/index.js';
import { GoStruct, type GoMethod, type GoValue } from './template/values.js';
import { tabwrite } from './table.js';

/** The template did not parse: docker prints `template parsing error: <msg>`. */
export class FormatParseError extends Error {}
/** A row's execution failed: docker prints `template parsing error: <msg>`. */
export class FormatExecError extends Error {}

export interface ListFormat {
  /** docker's default table ("table {{.ID}}\t...") used for "table" and an empty format */
  defaultTable: string;
  /** header text per field name ("ID" -> "CONTAINER ID"): the context's SubHeaderContext */
  headers: Record<string, string>;
  /** the -q format (docker's DefaultQuietFormat "{{.ID}}" unless the context has its own) */
  quiet?: string;
  /** the `raw` format and its -q variant, for contexts that have one */
  raw?: string;
  rawQuiet?: string;
}

/** docker's DefaultQuietFormat */
export const DEFAULT_QUIET_FORMAT = '{{.ID}}';
/** docker's JSONFormat */
export const JSON_FORMAT = '{{json .}}';

/** The text docker prints for a formatter error (both parse and execution errors). */
export function formatErrorText(e: FormatParseError | FormatExecError): string {
  return `template parsing error: ${e.message}`;
}

/** docker's SubHeaderContext.Label: the last dotted part, with - and _ as spaces. */
export function labelHeader(name: string): string {
  const parts = name.split('.');
  return parts[parts.length - 1].replace(/[-_]/g, ' ');
}

/** formatter.SubHeaderContext: a map[string]string with a Label method. */
class SubHeaderContext extends GoStruct {
  constructor(private readonly headers: Record<string, string>) {
    super('formatter.SubHeaderContext', [], { Label: (name) => labelHeader(String(name)) });
  }

  override field(name: string): { found: boolean; value?: GoValue } {
    const h = this.headers;
    return { found: true, value: Object.prototype.hasOwnProperty.call(h, name) ? h[name] : (NO_VALUE as unknown as GoValue) };
  }
}

const headerCache = new WeakMap<Record<string, string>, SubHeaderContext>();

function headerContext(headers: Record<string, string>): SubHeaderContext {
  let h = headerCache.get(headers);
  if (!h) headerCache.set(headers, (h = new SubHeaderContext(headers)));
  return h;
}

/** templates.HeaderFunctions: the header keeps its text. */
const identity: GoMethod = (v) => {
  if (typeof v !== 'string') throw new Error('wrong type for value; expected string');
  return v;
};
const HEADER_FUNCS: Record<string, GoMethod> = {
  json: identity,
  split: identity,
  join: identity,
  title: identity,
  lower: identity,
  upper: identity,
  truncate: identity,
};

/**
 * The format a list command uses, as docker's NewXFormat functions decide it:
 * `table` -> quiet ? quiet format : default table; `raw` -> the raw format (or its -q form);
 * anything else is used as given.
 */
export function chooseFormat(source: string, spec: ListFormat, quiet: boolean): string {
  if (source === 'table' || source === '') return quiet ? spec.quiet ?? DEFAULT_QUIET_FORMAT : spec.defaultTable;
  if (source === 'raw' && spec.raw !== undefined) return quiet ? spec.rawQuiet ?? spec.raw : spec.raw;
  return source;
}

/** The template text docker executes for a format (preFormat), and whether it is a table. */
export function finalFormat(format: string, spec: ListFormat): { text: string; table: boolean } {
  let f = format;
  if (f === 'table' || f === '') f = spec.defaultTable;
  const table = f.startsWith('table');
  let text = table ? f.slice('table'.length) : f === 'json' ? JSON_FORMAT : f;
  text = text.replace(/^ +| +$/g, '');
  if (text.includes('\\')) text = text.replace(/\\[tn]/g, (m) => (m === '\\t' ? '\t' : '\n'));
  return { text, table };
}

export interface CompiledList {
  table: boolean;
  row: Template;
  header?: Template;
}

/** Parse a format once (FormatParseError on failure); reusable for many renders. */
export function compileList(format: string, spec: ListFormat): CompiledList {
  const { text, table } = finalFormat(format, spec);
  try {
    const row = parseTemplate(text);
    return { table, row, header: table ? parseTemplate(text, { funcs: HEADER_FUNCS }) : undefined };
  } catch (e) {
    if (e instanceof TemplateError) throw new FormatParseError(e.message);
    throw e;
  }
}

/** Render rows. Throws FormatParseError / FormatExecError with the template's Go message. */
export function renderList(format: string, rows: readonly GoValue[], spec: ListFormat): string {
  return renderCompiled(compileList(format, spec), rows, spec);
}

export function renderCompiled(c: CompiledList, rows: readonly GoValue[], spec: ListFormat): string {
  const out: string[] = new Array<string>(rows.length);
  try {
    for (let i = 0; i < rows.length; i++) out[i] = c.row.execute(rows[i]);
  } catch (e) {
    if (e instanceof TemplateError) throw new FormatExecError(e.message);
    throw e;
  }
  if (!c.table) return rows.length ? out.join('\n') + '\n' : '';
  let header = '';
  try {
    header = c.header!.execute(headerContext(spec.headers));
  } catch {
    // docker ignores the header's execution error (keeping what was written before it)
    header = '';
  }
  return tabwrite(header + '\n' + (rows.length ? out.join('\n') + '\n' : ''));
}
