/**
 * Go's text/template for tdocker's --format flags: parse once, execute per object, with Go's output
 * and error texts and docker's template functions (json, join, split, lower, upper, title, pad, truncate).
 */
import { parse, TemplateError, type ParsedTemplate } from './parse.js';
import { execute } from './exec.js';
import { BUILTINS, DOCKER_FUNCS, type FuncDef } from './funcs.js';
import { formatV, marshal, sprintf as goSprintf, type Value } from './gofmt.js';
import { GoStruct, type GoMethod, type GoValue } from './values.js';

export { TemplateError };
export { NO_VALUE } from './gofmt.js';

export interface TemplateOptions {
  /** missingkey=error (docker's inspect fallback on raw maps) */
  missingKeyError?: boolean;
  /** extra functions (replacing docker's of the same name); their arguments are interface{} */
  funcs?: Record<string, GoMethod>;
  /** the template's name as errors show it ("" in most of docker, "version" for docker version) */
  name?: string;
}

const BASE_FUNCS: Record<string, FuncDef> = { ...BUILTINS, ...DOCKER_FUNCS };

export class Template {
  constructor(
    private readonly parsed: ParsedTemplate,
    private readonly missingKeyError: boolean,
    private readonly funcs: Record<string, FuncDef>,
  ) {}

  private plan: (string | { field: string })[] | null | undefined;

  /** Execute against a value; throws TemplateError with Go's message. */
  execute(data: GoValue): string {
    // A template of text and {{.Field}} actions only (a listing's table: thousands of rows), over a
    // struct whose fields are methods without arguments returning strings: what the interpreter does
    // for it, without the interpreter. Any other case, or a method that throws or returns anything but
    // a string, goes to the interpreter (the methods are pure: calling one again gives the same).
    const plan = (this.plan ??= simplePlan(this.parsed));
    if (plan && data instanceof GoStruct) {
      const methods = data.methods;
      let out = '';
      let ok = true;
      for (let i = 0; i < plan.length && ok; i++) {
        const p = plan[i];
        if (typeof p === 'string') {
          out += p;
          continue;
        }
        const fn = Object.prototype.hasOwnProperty.call(methods, p.field) ? methods[p.field] : undefined;
        if (!fn || fn.length !== 0) {
          ok = false;
          break;
        }
        let v: GoValue;
        try {
          v = fn();
        } catch {
          ok = false;
          break;
        }
        if (typeof v === 'string') out += v;
        else ok = false;
      }
      if (ok) return out;
    }
    return execute(this.parsed, data, { missingKeyError: this.missingKeyError, funcs: this.funcs });
  }
}

/** The main template as text and single-field actions ({{.ID}}), or null when it has anything else. */
function simplePlan(t: ParsedTemplate): (string | { field: string })[] | null {
  if (t.trees.size !== 1) return null;
  const root = t.trees.get(t.name);
  if (!root) return null;
  const plan: (string | { field: string })[] = [];
  for (const n of root.nodes) {
    if (n.k === 'text') plan.push(n.text);
    else if (n.k === 'action' && n.pipe.decl.length === 0 && n.pipe.cmds.length === 1 && n.pipe.cmds[0].args.length === 1) {
      const a = n.pipe.cmds[0].args[0];
      if (a.k !== 'field' || a.idents.length !== 1) return null;
      plan.push({ field: a.idents[0] });
    } else return null;
  }
  return plan;
}

/** template.New(name).Funcs(docker's functions).Parse(text); throws TemplateError with Go's message. */
export function parseTemplate(text: string, opts: TemplateOptions = {}): Template {
  let funcs = BASE_FUNCS;
  if (opts.funcs) {
    funcs = { ...BASE_FUNCS };
    for (const [k, fn] of Object.entries(opts.funcs)) {
      funcs[k] = {
        params: fn.length > 0 ? Array<'any'>(fn.length).fill('any') : ['any'],
        variadic: fn.length === 0,
        fn: fn as (...a: Value[]) => Value,
      };
    }
  }
  const parsed = parse(text, opts.name ?? '', new Set(Object.keys(funcs)));
  return new Template(parsed, !!opts.missingKeyError, funcs);
}

/** Go's %v (fmt.Sprint) of a value. */
export function formatValue(v: GoValue): string {
  return formatV(v);
}

/** Go's fmt.Sprintf. */
export function sprintf(format: string, ...args: GoValue[]): string {
  return goSprintf(format, args);
}

/**
 * encoding/json of a value as docker's `json` template function writes it: struct fields in order
 * (GoStruct.json() when given), map keys sorted, and, like docker (SetEscapeHTML(false)), no HTML
 * escaping unless asked for (json.Marshal's default).
 */
export function marshalJSON(v: GoValue, opts: { escapeHTML?: boolean } = {}): string {
  return marshal(v, !!opts.escapeHTML);
}
