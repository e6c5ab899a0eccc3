/**
 * docker/cli's list formatting (formatter.Context): `table`, `table TEMPLATE`, `json` or a template;
 * tables get a header row and go through tabwriter(10, 1, 3, ' ', 0).
 */
import { parseTemplate, TemplateError } from './template/index.js';
import { GoStruct, type GoValue } from './template/values.js';
import { tabwrite } from './tabwriter.js';

export class FormatParseError extends Error {}
export class FormatExecError extends Error {}

export interface ListFormat {
  /** docker's default table ("table {{.ID}}\t...") used for "table" and an empty format */
  defaultTable: string;
  /** header text per field name ("ID" -> "CONTAINER ID") */
  headers: Record<string, string>;
}

/** docker's Label header: the last dotted part, with - and _ as spaces. */
export function labelHeader(name: string): string {
  const parts = name.split('.');
  return parts[parts.length - 1].replace(/[-_]/g, ' ');
}

function headerStruct(headers: Record<string, string>): GoStruct {
  const methods: Record<string, (...a: GoValue[]) => GoValue> = {};
  for (const [k, v] of Object.entries(headers)) methods[k] = () => v;
  methods.Label = (name) => labelHeader(String(name));
  return new GoStruct('header', [], methods);
}

/** The template text docker executes for a format, and whether it is a table. */
export function finalFormat(format: string, spec: ListFormat): { text: string; table: boolean } {
  let f = format;
  if (f === 'table' || f === '') f = spec.defaultTable;
  const table = f.startsWith('table');
  let text = table ? f.slice('table'.length) : f === 'json' ? '{{json .}}' : f;
  text = text.replace(/^ +| +$/g, '').replaceAll('\\t', '\t').replaceAll('\\n', '\n');
  return { text, table };
}

/** Render rows. Throws FormatParseError / FormatExecError with the template's Go message. */
export function renderList(format: string, rows: GoValue[], spec: ListFormat): string {
  const { text, table } = finalFormat(format, spec);
  let tmpl;
  try {
    tmpl = parseTemplate(text);
  } catch (e) {
    if (e instanceof TemplateError) throw new FormatParseError(e.message);
    throw e;
  }
  let out = '';
  try {
    for (const r of rows) out += tmpl.execute(r) + '\n';
  } catch (e) {
    if (e instanceof TemplateError) throw new FormatExecError(e.message);
    throw e;
  }
  if (!table) return out;
  let header = '';
  try {
    header = tmpl.execute(headerStruct(spec.headers));
  } catch {
    header = '';
  }
  return tabwrite(header + '\n' + out);
}
