/**
 * Variable interpolation as the Compose Specification defines it (compose-go's template package):
 * `$V`, `${V}`, `${V:-default}`, `${V-default}`, `${V:+alt}`, `${V+alt}`, `${V:?err}`, `${V?err}`,
 * `$$` for a literal dollar; defaults may nest (`${A:-${B:-x}}`).
 */

export type Mapping = (name: string) => string | undefined;

export class InvalidTemplateError extends Error {
  constructor(readonly template: string) {
    super(`Invalid template: ${JSON.stringify(template)}`);
  }
}

export class MissingRequiredError extends Error {
  constructor(readonly variable: string, readonly reason: string) {
    super(reason ? `required variable ${variable} is missing a value: ${reason}` : `required variable ${variable} is missing a value`);
  }
}

const NAMED = /^[_a-z][_a-z0-9]*/i;

/** Index of the brace closing the `${` at the start of s (compose-go's getFirstBraceClosingIndex). */
function closingBrace(s: string): number {
  let open = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '}') {
      open--;
      if (open === 0) return i;
    }
    if (s[i] === '{') {
      open++;
      i++;
    }
  }
  return -1;
}

const OPERATORS = [':?', '?', ':-', '-', ':+', '+'];

function firstOperator(body: string): string | undefined {
  let best: string | undefined;
  let at = Infinity;
  for (const op of OPERATORS) {
    const i = body.indexOf(op);
    if (i >= 0 && i < at) {
      at = i;
      best = op;
    }
  }
  return best;
}

/**
 * Substitute the variables of `template`. `onUnset` is told of each variable that is used without
 * a value (compose warns: `The "X" variable is not set. Defaulting to a blank string.`).
 */
export function substitute(template: string, mapping: Mapping, onUnset?: (name: string) => void): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const d = template.indexOf('$', i);
    if (d < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, d);
    const next = template[d + 1];
    if (next === '$') {
      out += '$';
      i = d + 2;
      continue;
    }
    if (next === '{') {
      const rel = closingBrace(template.slice(d + 1));
      if (rel < 0) throw new InvalidTemplateError(template);
      const body = template.slice(d + 2, d + 1 + rel);
      out += braced(body, template, mapping, onUnset);
      i = d + 2 + rel;
      continue;
    }
    const m = NAMED.exec(template.slice(d + 1));
    if (!m) throw new InvalidTemplateError(template);
    const v = mapping(m[0]);
    if (v === undefined) onUnset?.(m[0]);
    out += v ?? '';
    i = d + 1 + m[0].length;
  }
  return out;
}

function braced(body: string, template: string, mapping: Mapping, onUnset?: (name: string) => void): string {
  const m = NAMED.exec(body);
  if (!m) throw new InvalidTemplateError(template);
  const name = m[0];
  const rest = body.slice(name.length);
  if (rest === '') {
    const v = mapping(name);
    if (v === undefined) onUnset?.(name);
    return v ?? '';
  }
  const op = firstOperator(rest);
  if (!op || !rest.startsWith(op)) throw new InvalidTemplateError(template);
  const arg = rest.slice(op.length);
  const v = mapping(name);
  switch (op) {
    case ':-':
      return v === undefined || v === '' ? substitute(arg, mapping, onUnset) : v;
    case '-':
      return v === undefined ? substitute(arg, mapping, onUnset) : v;
    case ':+':
      return v !== undefined && v !== '' ? substitute(arg, mapping, onUnset) : (v ?? '');
    case '+':
      return v !== undefined ? substitute(arg, mapping, onUnset) : '';
    case ':?':
      if (v === undefined || v === '') throw new MissingRequiredError(name, substitute(arg, mapping, onUnset));
      return v;
    default: // '?'
      if (v === undefined) throw new MissingRequiredError(name, substitute(arg, mapping, onUnset));
      return v;
  }
}
