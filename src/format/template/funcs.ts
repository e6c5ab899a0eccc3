/**
 * The functions of Go's text/template (funcs.go) and docker's template functions (docker/cli
 * templates/templates.go, as built into docker 28), each with its Go parameter types so that the
 * executor can check and convert arguments as reflect does.
 */
import { GoFloat, GoFunc, GoInt, GoMap, GoNil, GoSlice, GoStruct, type GoValue } from './values.js';
import { compareStrings, formatV, isNilish, isPlainObject, marshal, NO_VALUE, sprint, sprintf, sprintln, typeName, type Value } from './gofmt.js';

/**
 * Go parameter types the executor knows how to fill: reflect.Value ('value'), interface{} ('any'),
 * string, int, []string.
 */
export type ParamType = 'value' | 'any' | 'string' | 'int' | '[]string';

export interface FuncDef {
  params: ParamType[];
  variadic: boolean;
  fn: (...args: Value[]) => Value;
  /** text/template's own builtins (and/or/call get special treatment) */
  builtin?: boolean;
}

/** An error thrown by a function: reported as "error calling NAME: MESSAGE". */
export class FuncError extends Error {}

// ---- value helpers ------------------------------------------------------------------------------

/** A value seen through an interface{} (a map[string]interface{} value, a []interface{} element). */
export class Iface {
  constructor(readonly v: Value) {}
}

/** A nil interface{} passed as a reflect.Value argument (len gives "len of nil pointer"). */
export const NIL_IFACE = new GoNil('interface {}', 'interface');

export function unwrap(v: Value | Iface): Value {
  return v instanceof Iface ? v.v : v;
}

export function isUnsignedType(t: string): boolean {
  return /^(uint|byte$|uintptr$)/.test(t);
}

/** Go's zero value for an element type string (for index of a missing map key). */
export function zeroOf(type: string): Value {
  if (type === 'interface {}' || type === 'any') return null;
  if (type === 'string') return '';
  if (type === 'bool') return false;
  if (type === 'float64') return 0;
  if (type === 'float32') return new GoFloat(0, 'float32');
  if (/^u?int(8|16|32|64)?$|^byte$|^rune$|^uintptr$/.test(type)) return new GoInt(0, type);
  if (type.startsWith('[]')) return new GoNil(type, 'slice');
  if (type.startsWith('map[')) return new GoNil(type, 'map');
  if (type.startsWith('*')) return new GoNil(type, 'ptr');
  if (type.startsWith('func')) return new GoNil(type, 'func');
  return null;
}

/** The element type of a map or slice type string: map[string]string -> string. */
export function elemType(type: string): string {
  if (type.startsWith('[]')) return type.slice(2);
  if (type.startsWith('map[')) {
    let depth = 0;
    for (let i = 3; i < type.length; i++) {
      if (type[i] === '[') depth++;
      else if (type[i] === ']') {
        depth--;
        if (depth === 0) return type.slice(i + 1);
      }
    }
  }
  return 'interface {}';
}

/** Go's truth of a value (template.IsTrue). */
export function isTrue(v: Value | Iface): boolean {
  v = unwrap(v);
  if (isNilish(v)) return false;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof GoInt || v instanceof GoFloat) return v.value !== 0;
  if (v instanceof GoNil) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof GoSlice) return v.items.length > 0;
  if (v instanceof GoMap) return Object.keys(v.entries).length > 0;
  if (v instanceof GoStruct || v instanceof GoFunc) return true;
  return Object.keys(v).length > 0;
}

function mapEntries(v: Value): { [k: string]: GoValue } | undefined {
  if (v instanceof GoMap) return v.entries;
  if (isPlainObject(v)) return v;
  return undefined;
}

function sliceItems(v: Value): GoValue[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof GoSlice) return v.items;
  if (v instanceof GoNil && v.kind === 'slice') return [];
  return undefined;
}

// ---- comparison ---------------------------------------------------------------------------------

type Kind = 'bool' | 'int' | 'uint' | 'float' | 'string' | 'invalid';

function basicKind(v: Value): Kind {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number' || v instanceof GoFloat) return 'float';
  if (v instanceof GoInt) return isUnsignedType(v.type) ? 'uint' : 'int';
  return 'invalid';
}

function num(v: Value): number {
  return typeof v === 'number' ? v : (v as GoInt | GoFloat).value;
}

const errBadComparisonType = 'invalid type for comparison';
const errBadComparison = 'incompatible types for comparison';
const errNoComparison = 'missing argument for comparison';

function isNilValue(v: Value): boolean {
  return isNilish(v) || v instanceof GoNil;
}

function comparable(v: Value): boolean {
  if (Array.isArray(v) || v instanceof GoSlice || v instanceof GoMap || isPlainObject(v) || v instanceof GoFunc) return false;
  if (v instanceof GoStruct && !v.type.startsWith('*')) return v.fields.every(([, x]) => comparable(x));
  return true;
}

function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a instanceof GoStruct && b instanceof GoStruct) {
    if (a.type !== b.type || a.type.startsWith('*')) return false;
    return a.fields.length === b.fields.length && a.fields.every(([k, x], i) => b.fields[i][0] === k && deepEqual(x, b.fields[i][1]));
  }
  if ((a instanceof GoInt || a instanceof GoFloat) && (b instanceof GoInt || b instanceof GoFloat)) return a.type === b.type && a.value === b.value;
  return false;
}

function eq(a: Value, ...rest: Value[]): boolean {
  if (rest.length === 0) throw new FuncError(errNoComparison);
  const k1 = basicKind(a);
  for (const b of rest) {
    const k2 = basicKind(b);
    let truth = false;
    if (k1 !== k2) {
      if (k1 === 'int' && k2 === 'uint') truth = num(a) >= 0 && num(a) === num(b);
      else if (k1 === 'uint' && k2 === 'int') truth = num(b) >= 0 && num(a) === num(b);
      else if (!isNilish(a) && !isNilish(b)) throw new FuncError(errBadComparison);
    } else if (k1 === 'bool' || k1 === 'string') truth = a === b;
    else if (k1 !== 'invalid') truth = num(a) === num(b);
    else {
      if (!isNilValue(a) && !isNilValue(b) && typeName(a) !== typeName(b)) {
        throw new FuncError(`non-comparable types ${formatV(a)}: ${typeName(a)}, ${typeName(b)}: ${formatV(b)}`);
      }
      if (isNilValue(a) || isNilValue(b)) truth = isNilValue(a) === isNilValue(b);
      else {
        if (!comparable(b)) throw new FuncError(`non-comparable type ${formatV(b)}: ${typeName(b)}`);
        truth = deepEqual(a, b);
      }
    }
    if (truth) return true;
  }
  return false;
}

function lt(a: Value, b: Value): boolean {
  const k1 = basicKind(a);
  if (k1 === 'invalid') throw new FuncError(errBadComparisonType);
  const k2 = basicKind(b);
  if (k2 === 'invalid') throw new FuncError(errBadComparisonType);
  if (k1 !== k2) {
    if (k1 === 'int' && k2 === 'uint') return num(a) < 0 || num(a) < num(b);
    if (k1 === 'uint' && k2 === 'int') return num(b) >= 0 && num(a) < num(b);
    throw new FuncError(errBadComparison);
  }
  if (k1 === 'bool') throw new FuncError(errBadComparisonType);
  if (k1 === 'string') return compareStrings(a as string, b as string) < 0;
  return num(a) < num(b);
}

function le(a: Value, b: Value): boolean {
  return lt(a, b) || eq(a, b);
}

// ---- indexing -----------------------------------------------------------------------------------

function indexArg(index: Value, cap: number): number {
  let x: number;
  if (index instanceof GoInt) x = index.value;
  else if (isNilish(index)) throw new FuncError('cannot index slice/array with nil');
  else throw new FuncError(`cannot index slice/array with type ${typeName(index)}`);
  if (x < 0 || x > cap) throw new FuncError(`index out of range: ${x}`);
  return x;
}

function indirect(v: Value): { v: Value; isNil: boolean } {
  if (v instanceof GoNil && (v.kind === 'ptr' || v.kind === 'interface')) return { v, isNil: true };
  return { v, isNil: false };
}

function index(item: Value, ...indexes: Value[]): Value {
  if (isNilish(item) || item === NIL_IFACE) throw new FuncError('index of untyped nil');
  for (const idx of indexes) {
    const r = indirect(item);
    if (r.isNil) throw new FuncError('index of nil pointer');
    item = r.v;
    if (typeof item === 'string') {
      const b = Buffer.from(item, 'utf8');
      const x = indexArg(idx, b.length);
      if (x === b.length) throw new FuncError('reflect: string index out of range');
      item = new GoInt(b[x], 'uint8');
      continue;
    }
    const items = sliceItems(item);
    if (items) {
      const x = indexArg(idx, items.length);
      if (x === items.length) throw new FuncError(`index out of range: ${x}`);
      item = items[x];
      continue;
    }
    const m = mapEntries(item);
    if (m || (item instanceof GoNil && item.kind === 'map')) {
      if (isNilish(idx)) throw new FuncError('value is nil; should be of type string');
      if (typeof idx !== 'string') throw new FuncError(`value has type ${typeName(idx)}; should be string`);
      if (m && Object.prototype.hasOwnProperty.call(m, idx)) item = m[idx];
      else item = zeroOf(elemType(typeName(item)));
      continue;
    }
    throw new FuncError(`can't index item of type ${typeName(item)}`);
  }
  return item;
}

function slice(item: Value, ...indexes: Value[]): Value {
  if (isNilish(item) || item === NIL_IFACE) throw new FuncError('slice of untyped nil');
  if (indexes.length > 3) throw new FuncError(`too many slice indexes: ${indexes.length}`);
  let cap: number;
  let len: number;
  let bytes: Buffer | undefined;
  const items = sliceItems(item);
  if (typeof item === 'string') {
    if (indexes.length === 3) throw new FuncError('cannot 3-index slice a string');
    bytes = Buffer.from(item, 'utf8');
    cap = len = bytes.length;
  } else if (items) {
    cap = len = items.length;
  } else throw new FuncError(`can't slice item of type ${typeName(item)}`);
  const idx = [0, len, 0];
  indexes.forEach((x, i) => {
    idx[i] = indexArg(x, cap);
  });
  if (idx[0] > idx[1]) throw new FuncError(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1] > idx[2]) throw new FuncError(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (bytes) return bytes.subarray(idx[0], idx[1]).toString('utf8');
  const out = items!.slice(idx[0], idx[1]);
  if (item instanceof GoSlice || item instanceof GoNil) return new GoSlice(out, (item as GoSlice).type);
  return out;
}

function length(item: Value): Value {
  const r = indirect(item);
  if (r.isNil) throw new FuncError('len of nil pointer');
  item = r.v;
  if (isNilish(item)) throw new FuncError('reflect: call of reflect.Value.Type on zero Value');
  if (typeof item === 'string') return new GoInt(Buffer.byteLength(item, 'utf8'));
  const items = sliceItems(item);
  if (items) return new GoInt(items.length);
  if (item instanceof GoNil && item.kind === 'map') return new GoInt(0);
  const m = mapEntries(item);
  if (m) return new GoInt(Object.keys(m).length);
  throw new FuncError(`len of type ${typeName(item)}`);
}

// ---- escapers -----------------------------------------------------------------------------------

/** evalArgs: the string of print-like arguments (printableValue then fmt.Sprint). */
function evalArgs(args: Value[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (a instanceof GoStruct && a.type.startsWith('*') ? derefStruct(a) : isNilish(a) ? '<no value>' : a)));
}

/** A pointer-to-struct printed as the struct it points to (printableValue's indirect). */
export function derefStruct(s: GoStruct): GoStruct {
  const d = new GoStruct(s.type.slice(1), [], s.methods, s.json);
  Object.defineProperty(d, 'fields', { get: () => s.fields });
  d.field = (n: string) => s.field(n);
  return d;
}

export function htmlEscape(s: string): string {
  return s.replace(/[&'<>"\0]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c]!);
}

export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '\\': out += '\\\\'; continue;
      case "'": out += "\\'"; continue;
      case '"': out += '\\"'; continue;
      case '<': out += '\\u003C'; continue;
      case '>': out += '\\u003E'; continue;
      case '&': out += '\\u0026'; continue;
      case '=': out += '\\u003D'; continue;
    }
    if (c < 0x20) out += '\\u00' + c.toString(16).toUpperCase().padStart(2, '0');
    else if (c < 0x80) out += ch;
    else if (/[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch) || c === 0x20) out += ch;
    else out += '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

/** url.QueryEscape */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

// ---- docker's functions -------------------------------------------------------------------------

function isSeparator(cp: number): boolean {
  if (cp <= 0x7f) {
    if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) || cp === 0x5f) return false;
    return true;
  }
  const ch = String.fromCodePoint(cp);
  if (/[\p{L}\p{Nd}\p{Nl}\p{No}]/u.test(ch)) return false;
  return /\s/u.test(ch);
}

/** unicode.ToUpper/ToLower/ToTitle of one rune: the simple mapping only (never changes length). */
function mapRune(ch: string, how: 'upper' | 'lower'): string {
  const m = how === 'upper' ? ch.toUpperCase() : ch.toLowerCase();
  return [...m].length === 1 ? m : ch;
}

export function goUpper(s: string): string {
  let out = '';
  for (const ch of s) out += mapRune(ch, 'upper');
  return out;
}

export function goLower(s: string): string {
  let out = '';
  for (const ch of s) out += mapRune(ch, 'lower');
  return out;
}

/** strings.Title */
export function goTitle(s: string): string {
  let prev = 0x20;
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    out += isSeparator(prev) ? titleRune(ch) : ch;
    prev = cp;
  }
  return out;
}

function titleRune(ch: string): string {
  // title case differs from upper case only for a few digraphs
  const special: Record<string, string> = { 'ǆ': 'ǅ', 'Ǆ': 'ǅ', 'ǉ': 'ǈ', 'Ǉ': 'ǈ', 'ǌ': 'ǋ', 'Ǌ': 'ǋ', 'ǳ': 'ǲ', 'Ǳ': 'ǲ' };
  return special[ch] ?? mapRune(ch, 'upper');
}

function goRepeat(n: number): string {
  if (n < 0) throw new FuncError('strings: negative Repeat count');
  return ' '.repeat(n);
}

function goSplit(s: string, sep: string): GoSlice {
  return new GoSlice(sep === '' ? [...s] : s.split(sep), '[]string');
}

function truncate(source: string, n: number): string {
  const b = Buffer.from(source, 'utf8');
  if (b.length < n) return source;
  if (n < 0) throw new FuncError(`runtime error: slice bounds out of range [:${n}]`);
  return b.subarray(0, n).toString('utf8');
}

/** call, with the callee's name (its node's text) first, as Go's executor inserts it. */
function callFn(name: Value, fn: Value, ...args: Value[]): Value {
  if (isNilish(fn)) throw new FuncError('call of nil');
  if (fn instanceof GoFunc) return fn.fn(...(args as GoValue[]));
  if (fn instanceof GoNil && fn.kind === 'func') throw new FuncError('call of nil');
  throw new FuncError(`non-function ${String(name)} of type ${typeName(fn)}`);
}

const V: ParamType = 'value';

/** text/template's builtins. */
export const BUILTINS: Record<string, FuncDef> = {
  and: { params: [V, V], variadic: true, builtin: true, fn: () => null },
  or: { params: [V, V], variadic: true, builtin: true, fn: () => null },
  call: { params: [V, V], variadic: true, builtin: true, fn: callFn },
  html: { params: ['any'], variadic: true, builtin: true, fn: (...a) => htmlEscape(evalArgs(a)) },
  index: { params: [V, V], variadic: true, builtin: true, fn: index },
  slice: { params: [V, V], variadic: true, builtin: true, fn: slice },
  js: { params: ['any'], variadic: true, builtin: true, fn: (...a) => jsEscape(evalArgs(a)) },
  len: { params: [V], variadic: false, builtin: true, fn: length },
  not: { params: [V], variadic: false, builtin: true, fn: (a) => !isTrue(a) },
  print: { params: ['any'], variadic: true, builtin: true, fn: (...a) => sprint(a) },
  printf: { params: ['string', 'any'], variadic: true, builtin: true, fn: (f, ...a) => sprintf(f as string, a) },
  println: { params: ['any'], variadic: true, builtin: true, fn: (...a) => sprintln(a) },
  urlquery: { params: ['any'], variadic: true, builtin: true, fn: (...a) => queryEscape(evalArgs(a)) },
  eq: { params: [V, V], variadic: true, builtin: true, fn: eq },
  ge: { params: [V, V], variadic: false, builtin: true, fn: (a, b) => !lt(a, b) },
  gt: { params: [V, V], variadic: false, builtin: true, fn: (a, b) => !le(a, b) },
  le: { params: [V, V], variadic: false, builtin: true, fn: le },
  lt: { params: [V, V], variadic: false, builtin: true, fn: lt },
  ne: { params: [V, V], variadic: false, builtin: true, fn: (a, b) => !eq(a, b) },
};

/** docker/cli templates.basicFunctions (docker 28). */
export const DOCKER_FUNCS: Record<string, FuncDef> = {
  json: {
    params: ['any'],
    variadic: false,
    fn: (v) => {
      try {
        return marshal(v, false);
      } catch (e) {
        throw new FuncError((e as Error).message);
      }
    },
  },
  split: { params: ['string', 'string'], variadic: false, fn: (s, sep) => goSplit(s as string, sep as string) },
  join: { params: ['[]string', 'string'], variadic: false, fn: (a, sep) => (a instanceof GoSlice ? (a.items as string[]).join(sep as string) : '') },
  title: { params: ['string'], variadic: false, fn: (s) => goTitle(s as string) },
  lower: { params: ['string'], variadic: false, fn: (s) => goLower(s as string) },
  upper: { params: ['string'], variadic: false, fn: (s) => goUpper(s as string) },
  pad: {
    params: ['string', 'int', 'int'],
    variadic: false,
    fn: (s, a, b) => (s === '' ? '' : goRepeat((a as GoInt).value) + (s as string) + goRepeat((b as GoInt).value)),
  },
  truncate: { params: ['string', 'int'], variadic: false, fn: (s, n) => truncate(s as string, (n as GoInt).value) },
};

export { NO_VALUE };
