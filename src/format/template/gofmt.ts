/**
 * Go's fmt printing of template values: %v (fmt.Sprint), Sprintf with its verbs and flags, Sprint and
 * Sprintln spacing rules, and encoding/json marshalling as docker's `json` template function does it.
 */
import { GoFloat, GoFunc, GoInt, GoMap, GoNil, GoSlice, GoStruct, type GoValue } from './values.js';

/** The value a missing map key yields (reflect's invalid Value): prints "<no value>". */
export const NO_VALUE: unique symbol = Symbol('no value');
export type Value = GoValue | typeof NO_VALUE;

export function isPlainObject(v: unknown): v is { [k: string]: GoValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** Go's type name of a value, as %T prints it. */
export function typeName(v: Value): string {
  if (v === NO_VALUE) return '<nil>';
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (v instanceof GoInt || v instanceof GoFloat || v instanceof GoNil || v instanceof GoSlice || v instanceof GoMap || v instanceof GoStruct || v instanceof GoFunc) return v.type;
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

// ---- numbers ------------------------------------------------------------------------------------

/** Shortest decimal digits and exponent of a finite non-zero float: 1234.5 -> ["12345", 3]. */
function shortestDigits(x: number): [string, number] {
  const e = Math.abs(x).toExponential(); // shortest round-trip digits, as Go's shortest formatting
  const [mant, exp] = e.split('e');
  return [mant.replace('.', ''), Number(exp)];
}

function expSuffix(exp: number, upper = false): string {
  const sign = exp < 0 ? '-' : '+';
  const a = Math.abs(exp);
  return (upper ? 'E' : 'e') + sign + (a < 10 ? '0' + a : String(a));
}

function special(x: number): string | undefined {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  return undefined;
}

/** strconv.FormatFloat(x, 'g', -1, 64): what %v prints for a float64. */
export function formatFloatShortest(x: number, upper = false): string {
  const s = special(x);
  if (s) return s;
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const [digits, exp] = shortestDigits(x);
  const sign = x < 0 ? '-' : '';
  // %e when the exponent is < -4 or >= 6 (the shortest precision's threshold)
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    return sign + m + expSuffix(exp, upper);
  }
  if (exp < 0) return sign + '0.' + '0'.repeat(-exp - 1) + digits;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length);
  return sign + digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
}

function formatE(x: number, prec: number, upper: boolean): string {
  const s = special(x);
  if (s) return s;
  const t = x.toExponential(prec);
  const [m, e] = t.split('e');
  return m + expSuffix(Number(e), upper);
}

function formatG(x: number, prec: number, upper: boolean, sharp: boolean): string {
  const s = special(x);
  if (s) return s;
  if (prec < 0) return formatFloatShortest(x, upper);
  if (prec === 0) prec = 1;
  if (x === 0) return '0';
  const t = Math.abs(x).toExponential(prec - 1);
  const [m, e] = t.split('e');
  let digits = m.replace('.', '');
  if (!sharp) digits = digits.replace(/0+$/, '') || '0';
  const exp = Number(e);
  const sign = x < 0 ? '-' : '';
  let eprec = prec;
  if (eprec > digits.length && digits.length >= exp + 1) eprec = digits.length;
  if (exp < -4 || exp >= eprec) {
    return sign + (digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits) + expSuffix(exp, upper);
  }
  if (exp < 0) return sign + '0.' + '0'.repeat(-exp - 1) + digits;
  if (digits.length <= exp + 1) return sign + digits + '0'.repeat(exp + 1 - digits.length);
  return sign + digits.slice(0, exp + 1) + '.' + digits.slice(exp + 1);
}

// ---- strings ------------------------------------------------------------------------------------

/** strconv.Quote */
export function goQuoteString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case '\\': out += '\\\\'; continue;
      case '\n': out += '\\n'; continue;
      case '\t': out += '\\t'; continue;
      case '\r': out += '\\r'; continue;
      case '\x07': out += '\\a'; continue;
      case '\b': out += '\\b'; continue;
      case '\f': out += '\\f'; continue;
      case '\v': out += '\\v'; continue;
    }
    if (c < 0x20 || c === 0x7f) out += '\\x' + c.toString(16).padStart(2, '0');
    else if (c === 0xfffd) out += '\\ufffd';
    else out += ch;
  }
  return out + '"';
}

// ---- %v -----------------------------------------------------------------------------------------

/** fmt's %v (and %+v with plus) of a value. depth > 0 means nested inside a composite. */
export function formatV(v: Value, plus = false, depth = 0): string {
  if (v === NO_VALUE) return depth === 0 ? '<no value>' : '<invalid reflect.Value>';
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return formatFloatShortest(v);
  if (v instanceof GoInt) return String(v.value);
  if (v instanceof GoFloat) return formatFloatShortest(v.value);
  if (v instanceof GoNil) return v.kind === 'slice' ? '[]' : v.kind === 'map' ? 'map[]' : '<nil>';
  if (v instanceof GoFunc) return '0x4a1f20';
  if (Array.isArray(v)) return '[' + v.map((x) => formatV(x, plus, depth + 1)).join(' ') + ']';
  if (v instanceof GoSlice) return '[' + v.items.map((x) => formatV(x, plus, depth + 1)).join(' ') + ']';
  if (v instanceof GoMap) return formatMap(v.entries, plus, depth);
  if (v instanceof GoStruct) {
    if (v.type.startsWith('*') && depth > 0) return '0xc000010000';
    const body = v.fields.map(([k, x]) => (plus ? `${k}:` : '') + formatV(x, plus, depth + 1)).join(' ');
    return (v.type.startsWith('*') && depth === 0 ? '&' : '') + '{' + body + '}';
  }
  return formatMap(v, plus, depth);
}

function formatMap(m: { [k: string]: GoValue }, plus: boolean, depth: number): string {
  const keys = Object.keys(m).sort();
  return 'map[' + keys.map((k) => `${k}:${formatV(m[k], plus, depth + 1)}`).join(' ') + ']';
}

/** What the template prints for a pipeline's value: pointers are followed first (printValue). */
export function printValue(v: Value): string {
  if (v instanceof GoStruct && v.type.startsWith('*')) {
    const body = v.fields.map(([, x]) => formatV(x, false, 1)).join(' ');
    return '{' + body + '}';
  }
  return formatV(v);
}

// ---- Sprintf ------------------------------------------------------------------------------------

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  zero: boolean;
  space: boolean;
  width?: number;
  prec?: number;
}

function pad(s: string, f: Spec, numeric = false): string {
  if (f.width === undefined || s.length >= f.width) return s;
  const n = f.width - [...s].length;
  if (n <= 0) return s;
  if (f.minus) return s + ' '.repeat(n);
  if (f.zero && numeric) {
    const sign = /^[+-]/.test(s) ? s[0] : '';
    return sign + '0'.repeat(n) + s.slice(sign.length);
  }
  return ' '.repeat(n) + s;
}

function intValue(v: Value): number | undefined {
  if (v instanceof GoInt) return v.value;
  return undefined;
}

function badVerb(verb: string, v: Value): string {
  if (v === null || v === undefined || v === NO_VALUE) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatV(v)})`;
}

function signed(s: string, n: number, f: Spec): string {
  if (n >= 0 && f.plus) return '+' + s;
  if (n >= 0 && f.space) return ' ' + s;
  return s;
}

function fmtInt(n: number, verb: string, f: Spec): string {
  const neg = n < 0;
  const a = Math.abs(n);
  let s: string;
  switch (verb) {
    case 'd': case 'v': s = String(a); break;
    case 'x': s = a.toString(16); if (f.sharp) s = '0x' + s; break;
    case 'X': s = a.toString(16).toUpperCase(); if (f.sharp) s = '0X' + s; break;
    case 'o': s = a.toString(8); if (f.sharp) s = '0' + s; break;
    case 'O': s = '0o' + a.toString(8); break;
    case 'b': s = a.toString(2); break;
    case 'c': return pad(String.fromCodePoint(n), f);
    case 'q': return pad("'" + String.fromCodePoint(n).replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'", f);
    case 'U': s = 'U+' + a.toString(16).toUpperCase().padStart(4, '0'); return pad(s, f);
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G':
      return '';
    default: s = String(a);
  }
  if (f.prec !== undefined) s = s.padStart(f.prec, '0');
  s = (neg ? '-' : '') + s;
  return pad(signed(s, n, f), f, f.prec === undefined);
}

function fmtFloat(x: number, verb: string, f: Spec): string {
  let s: string;
  switch (verb) {
    case 'v': case 'g': s = formatG(x, f.prec ?? -1, false, f.sharp); break;
    case 'G': s = formatG(x, f.prec ?? -1, true, f.sharp); break;
    case 'e': s = formatE(x, f.prec ?? 6, false); break;
    case 'E': s = formatE(x, f.prec ?? 6, true); break;
    case 'f': case 'F': s = special(x) ?? x.toFixed(f.prec ?? 6); break;
    default: return badVerb(verb, x);
  }
  return pad(signed(s, x, f), f, true);
}

/** %x of a float: hexadecimal mantissa and binary exponent (0x1.cp+01). */
function hexFloat(x: number, upper: boolean): string {
  const sp = special(x);
  if (sp) return sp;
  if (x === 0) return upper ? '0X0P+00' : '0x0p+00';
  let a = Math.abs(x);
  let e = Math.floor(Math.log2(a));
  let m = a / 2 ** e;
  if (m >= 2) { m /= 2; e++; }
  if (m < 1) { m *= 2; e--; }
  let frac = m - 1;
  let digits = '';
  for (let i = 0; i < 13 && frac > 0; i++) {
    frac *= 16;
    const d = Math.floor(frac);
    digits += d.toString(16);
    frac -= d;
  }
  a = e;
  const exp = (e < 0 ? '-' : '+') + String(Math.abs(a)).padStart(2, '0');
  const s = (x < 0 ? '-' : '') + '0x1' + (digits ? '.' + digits : '') + 'p' + exp;
  return upper ? s.toUpperCase() : s;
}

function fmtString(s: string, verb: string, f: Spec): string {
  if (f.prec !== undefined && (verb === 's' || verb === 'v' || verb === 'q')) s = [...s].slice(0, f.prec).join('');
  switch (verb) {
    case 's': case 'v': return pad(s, f);
    case 'q': return pad(f.sharp && !s.includes('`') ? '`' + s + '`' : goQuoteString(s), f);
    case 'x': case 'X': {
      let h = Buffer.from(s, 'utf8').toString('hex');
      if (verb === 'X') h = h.toUpperCase();
      return pad(h, f);
    }
    default: return badVerb(verb, s);
  }
}

/** Format one operand for one verb, as fmt does. */
export function formatOne(v: Value, verb: string, f: Spec): string {
  if (verb === 'T') return pad(typeName(v), f);
  if (verb === 'v' && !f.plus && !f.sharp && f.width === undefined && f.prec === undefined) return formatV(v);
  if (v === NO_VALUE) return verb === 'v' || verb === 's' ? pad('<invalid reflect.Value>', f) : badVerb(verb, v);
  if (v === null || v === undefined) return verb === 'v' ? pad('<nil>', f) : badVerb(verb, v);
  if (typeof v === 'string') return fmtString(v, verb, f);
  if (typeof v === 'boolean') return verb === 't' || verb === 'v' ? pad(v ? 'true' : 'false', f) : badVerb(verb, v);
  if (typeof v === 'number' || v instanceof GoFloat) {
    const x = typeof v === 'number' ? v : v.value;
    if ('eEfFgGv'.includes(verb)) return fmtFloat(x, verb, f);
    if (verb === 'x' || verb === 'X') return pad(signed(hexFloat(x, verb === 'X'), x, f), f, true);
    return badVerb(verb, v);
  }
  const n = intValue(v);
  if (n !== undefined) {
    if ('dvxXobcqUO'.includes(verb)) return fmtInt(n, verb, f);
    return badVerb(verb, v);
  }
  if (verb === 'v') return pad(formatV(v, f.plus), f);
  // composites: the verb applies to each element
  const inner = (x: GoValue): string => formatOne(x, verb, { ...f, width: undefined });
  if (Array.isArray(v)) return pad('[' + v.map(inner).join(' ') + ']', f);
  if (v instanceof GoSlice) return pad('[' + v.items.map(inner).join(' ') + ']', f);
  if (v instanceof GoStruct) return pad('{' + v.fields.map(([, x]) => inner(x)).join(' ') + '}', f);
  if (v instanceof GoMap || isPlainObject(v)) {
    const m = v instanceof GoMap ? v.entries : v;
    return pad('map[' + Object.keys(m).sort().map((k) => `${inner(k)}:${inner(m[k])}`).join(' ') + ']', f);
  }
  return badVerb(verb, v);
}

/** fmt.Sprintf */
export function sprintf(format: string, args: Value[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  while (i < format.length) {
    const pct = format.indexOf('%', i);
    if (pct < 0) {
      out += format.slice(i);
      break;
    }
    out += format.slice(i, pct);
    i = pct + 1;
    if (i >= format.length) {
      out += '%!(NOVERB)';
      break;
    }
    const f: Spec = { minus: false, plus: false, sharp: false, zero: false, space: false };
    for (; i < format.length; i++) {
      const c = format[i];
      if (c === '-') f.minus = true;
      else if (c === '+') f.plus = true;
      else if (c === '#') f.sharp = true;
      else if (c === '0') f.zero = !f.minus;
      else if (c === ' ') f.space = true;
      else break;
    }
    if (format[i] === '*') {
      const w = args[argi++];
      f.width = intValue(w);
      if (f.width !== undefined && f.width < 0) {
        f.minus = true;
        f.width = -f.width;
      }
      i++;
    } else {
      const m = /^\d+/.exec(format.slice(i));
      if (m) {
        f.width = Number(m[0]);
        i += m[0].length;
      }
    }
    if (format[i] === '.') {
      i++;
      if (format[i] === '*') {
        f.prec = intValue(args[argi++]);
        i++;
      } else {
        const m = /^\d+/.exec(format.slice(i));
        f.prec = m ? Number(m[0]) : 0;
        if (m) i += m[0].length;
      }
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0x25);
    i += verb.length;
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += formatOne(args[argi++], verb, f);
  }
  if (argi < args.length) {
    out += '%!(EXTRA ' + args.slice(argi).map((a) => (a === null || a === undefined ? '<nil>' : `${typeName(a)}=${formatV(a)}`)).join(', ') + ')';
  }
  return out;
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: Value[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    if (i > 0 && typeof args[i] !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatV(args[i]);
  }
  return out;
}

/** fmt.Sprintln */
export function sprintln(args: Value[]): string {
  return args.map((a) => formatV(a)).join(' ') + '\n';
}

// ---- json ---------------------------------------------------------------------------------------

function jsonString(s: string, escapeHTML: boolean): string {
  let out = JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  if (escapeHTML) out = out.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  return out;
}

function jsonNumber(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`json: unsupported value: ${formatFloatShortest(x)}`);
  return JSON.stringify(x);
}

/** A value as encoding/json marshals it (compact). escapeHTML as json.Marshal; docker's `json` func turns it off. */
export function marshal(v: Value, escapeHTML = false): string {
  if (v === NO_VALUE || v === null || v === undefined) return 'null';
  if (typeof v === 'string') return jsonString(v, escapeHTML);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return jsonNumber(v);
  if (v instanceof GoInt) return String(v.value);
  if (v instanceof GoFloat) return jsonNumber(v.value);
  if (v instanceof GoNil) return 'null';
  if (v instanceof GoFunc) throw new Error(`json: unsupported type: ${v.type}`);
  if (Array.isArray(v)) return '[' + v.map((x) => marshal(x, escapeHTML)).join(',') + ']';
  if (v instanceof GoSlice) return '[' + v.items.map((x) => marshal(x, escapeHTML)).join(',') + ']';
  if (v instanceof GoStruct) {
    // a MarshalJSON method: docker's implementations call json.Marshal, which escapes HTML
    if (v.json) return marshalPlain(v.json(), true);
    return '{' + v.fields.map(([k, x]) => jsonString(k, escapeHTML) + ':' + marshal(x, escapeHTML)).join(',') + '}';
  }
  const m = v instanceof GoMap ? v.entries : v;
  return '{' + Object.keys(m).sort().map((k) => jsonString(k, escapeHTML) + ':' + marshal(m[k], escapeHTML)).join(',') + '}';
}

/** Marshal a plain JavaScript value (already shaped as the JSON docker emits), keeping key order for objects. */
export function marshalPlain(v: unknown, escapeHTML = false): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return jsonString(v, escapeHTML);
  if (typeof v === 'number') return jsonNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof GoInt || v instanceof GoStruct || v instanceof GoSlice || v instanceof GoMap || v instanceof GoNil || v instanceof GoFloat) {
    return marshal(v, escapeHTML);
  }
  if (Array.isArray(v)) return '[' + v.map((x) => marshalPlain(x, escapeHTML)).join(',') + ']';
  const o = v as Record<string, unknown>;
  return '{' + Object.keys(o).map((k) => jsonString(k, escapeHTML) + ':' + marshalPlain(o[k], escapeHTML)).join(',') + '}';
}
