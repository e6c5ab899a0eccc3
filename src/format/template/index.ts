/**
 * Go's text/template for tdocker's --format flags: parse once, execute per object, with Go's output
 * and error texts and docker's template functions (json, join, split, lower, upper, title, pad, truncate).
 */
import { parse, TemplateError, type ParsedTemplate } from './parse.js';
import { BUILTINS, execute, type TemplateFunc } from './exec.js';
import { formatV, marshal, sprintf as goSprintf, type Value } from './gofmt.js';
import type { GoMethod, GoValue } from './values.js';

export { TemplateError };
export { NO_VALUE } from './gofmt.js';

export interface TemplateOptions {
  /** docker's inspect uses missingkey=error */
  missingKeyError?: boolean;
  /** extra functions */
  funcs?: Record<string, GoMethod>;
  /** the template's name as errors show it ("" in most of docker, "version" for docker version) */
  name?: string;
}

export class Template {
  constructor(
    private readonly parsed: ParsedTemplate,
    private readonly text: string,
    private readonly name: string,
    private readonly missingKeyError: boolean,
    private readonly funcs: Record<string, TemplateFunc>,
  ) {}

  /** Execute against a value; throws TemplateError with Go's message. */
  execute(data: GoValue): string {
    return execute(this.parsed, data, { name: this.name, text: this.text, missingKeyError: this.missingKeyError, funcs: this.funcs });
  }
}

export function parseTemplate(text: string, opts: TemplateOptions = {}): Template {
  const funcs: Record<string, TemplateFunc> = { ...BUILTINS };
  for (const [k, fn] of Object.entries(opts.funcs ?? {})) funcs[k] = { fn: fn as (...a: Value[]) => Value };
  const name = opts.name ?? '';
  const parsed = parse(text, name, new Set(Object.keys(funcs)));
  return new Template(parsed, text, name, !!opts.missingKeyError, funcs);
}

/** Go's %v of a value. */
export function formatValue(v: GoValue): string {
  return formatV(v);
}

/** Go's fmt.Sprintf. */
export function sprintf(format: string, ...args: GoValue[]): string {
  return goSprintf(format, args);
}

/** docker's `json` template function: encoding/json without HTML escaping. */
export function marshalJSON(v: GoValue): string {
  return marshal(v, false);
}
