/**
 * Go's fmt printing of template values: %v (fmt.Sprint), fmt.Sprintf with its verbs, flags, width and
 * precision (after fmt/print.go and fmt/format.go), strconv's float formatting, and encoding/json
 * marshalling as docker's `json` template function does it.
 */
import { formatFloat, goQuote, goQuoteRune, isPrint } from '../../go/strconv.js';
import { goFileMode } from '../../go/fs.js';
import { goDuration } from '../../go/time.js';
import { GoFloat, GoFunc, GoInt, GoMap, GoNil, GoSlice, GoStruct, type GoValue } from './values.js';

/** named integer types whose underlying type is unsigned (%#v prints them in hex) */
const UNSIGNED_NAMED = new Set(['fs.FileMode']);

/** integer types of the engine's structs with a String method (fmt prints them by it) */
const INT_STRINGERS: Record<string, (v: number) => string> = {
  'time.Duration': (v) => goDuration(v),
  'fs.FileMode': goFileMode,
};

/** The value a missing map key yields (reflect's invalid Value): prints "<no value>". */
export const NO_VALUE: unique symbol = Symbol('no value');
export type Value = GoValue | typeof NO_VALUE;

export function isPlainObject(v: unknown): v is { [k: string]: GoValue } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const p = Object.getPrototypeOf(v) as unknown;
  return p === Object.prototype || p === null;
}

/** null, undefined and the missing value: Go's nil interface / invalid reflect.Value. */
export function isNilish(v: Value): v is null | undefined | typeof NO_VALUE {
  return v === null || v === undefined || v === NO_VALUE;
}

/** Go's type name of a value, as %T prints it. */
export function typeName(v: Value): string {
  if (isNilish(v)) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (v instanceof GoInt || v instanceof GoFloat || v instanceof GoNil || v instanceof GoSlice || v instanceof GoMap || v instanceof GoStruct || v instanceof GoFunc) return v.type;
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** Sorted keys, by byte order of their UTF-8 (= code point order), as fmt and encoding/json sort. */
export function sortedKeys(m: { [k: string]: unknown }): string[] {
  return Object.keys(m).sort(compareStrings);
}

/** Go's string comparison (bytewise on UTF-8, which is code point order). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

// ---- strings ------------------------------------------------------------------------------------

function canBackquote(s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0x60 || c === 0xfeff) return false;
    if (c < 0x20 && c !== 9) return false;
    if (c === 0x7f) return false;
  }
  return true;
}

function utf8Bytes(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

function runeCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

// ---- the printer --------------------------------------------------------------------------------

/** fmt's flags for one verb. */
export interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  zero: boolean;
  space: boolean;
  width?: number;
  prec?: number;
  plusV?: boolean;
  sharpV?: boolean;
}

const LDIGITS = '0123456789abcdefx';
const UDIGITS = '0123456789ABCDEFX';

class Printer {
  out = '';
  f: Spec = { minus: false, plus: false, sharp: false, zero: false, space: false };

  padding(n: number): void {
    if (n > 0) this.out += (this.f.zero ? '0' : ' ').repeat(n);
  }

  pad(s: string): void {
    const f = this.f;
    if (f.width === undefined || f.width === 0) {
      this.out += s;
      return;
    }
    const w = f.width - runeCount(s);
    if (!f.minus) {
      this.padding(w);
      this.out += s;
    } else {
      this.out += s;
      this.padding(w);
    }
  }

  truncate(s: string): string {
    const p = this.f.prec;
    if (p !== undefined) {
      let n = 0;
      let i = 0;
      for (const ch of s) {
        if (n === p) return s.slice(0, i);
        n++;
        i += ch.length;
      }
    }
    return s;
  }

  fmtS(s: string): void {
    this.pad(this.truncate(s));
  }

  fmtQ(s: string): void {
    s = this.truncate(s);
    if (this.f.sharp && canBackquote(s)) this.pad('`' + s + '`');
    else this.pad(goQuote(s, this.f.plus));
  }

  fmtSbx(b: Buffer, digits: string): void {
    const f = this.f;
    let length = b.length;
    if (f.prec !== undefined && f.prec < length) length = f.prec;
    let width = 2 * length;
    if (width > 0) {
      if (f.space) {
        if (f.sharp) width *= 2;
        width += length - 1;
      } else if (f.sharp) width += 2;
    } else {
      if (f.width !== undefined) this.padding(f.width);
      return;
    }
    if (f.width !== undefined && f.width > width && !f.minus) this.padding(f.width - width);
    let s = '';
    if (f.sharp) s += '0' + digits[16];
    for (let i = 0; i < length; i++) {
      if (f.space && i > 0) {
        s += ' ';
        if (f.sharp) s += '0' + digits[16];
      }
      s += digits[b[i] >> 4] + digits[b[i] & 15];
    }
    this.out += s;
    if (f.width !== undefined && f.width > width && f.minus) this.padding(f.width - width);
  }

  fmtInteger(value: number | bigint, base: number, signed: boolean, verb: string, digits: string): void {
    const f = this.f;
    const big = typeof value === 'bigint' ? value : BigInt(Math.trunc(value));
    const negative = signed && big < 0n;
    let u = big < 0n ? -big : big;
    let prec = 0;
    if (f.prec !== undefined) {
      prec = f.prec;
      if (prec === 0 && u === 0n) {
        const z = f.zero;
        f.zero = false;
        this.padding(f.width ?? 0);
        f.zero = z;
        return;
      }
    } else if (f.zero && !f.minus && f.width !== undefined) {
      prec = f.width;
      if (negative || f.plus || f.space) prec--;
    }
    let s = '';
    if (u === 0n) s = '0';
    const b = BigInt(base);
    while (u > 0n) {
      s = digits[Number(u % b)] + s;
      u /= b;
    }
    if (prec > s.length) s = '0'.repeat(prec - s.length) + s;
    if (f.sharp) {
      if (base === 2) s = '0b' + s;
      else if (base === 8 && s[0] !== '0') s = '0' + s;
      else if (base === 16) s = '0' + digits[16] + s;
    }
    if (verb === 'O') s = '0o' + s;
    if (negative) s = '-' + s;
    else if (f.plus) s = '+' + s;
    else if (f.space) s = ' ' + s;
    const z = f.zero;
    f.zero = false;
    this.pad(s);
    f.zero = z;
  }

  fmtUnicode(value: number): void {
    const f = this.f;
    let prec = 4;
    if (f.prec !== undefined && f.prec > 4) prec = f.prec;
    let s = 'U+' + Math.abs(value).toString(16).toUpperCase().padStart(prec, '0');
    if (f.sharp && value >= 0 && value <= 0x10ffff && isPrint(value)) s += " '" + String.fromCodePoint(value) + "'";
    const z = f.zero;
    f.zero = false;
    this.pad(s);
    f.zero = z;
  }

  fmtC(value: number): void {
    const cp = value < 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff) ? 0xfffd : value;
    this.pad(String.fromCodePoint(cp));
  }

  fmtQc(value: number): void {
    const cp = value < 0 || value > 0x10ffff ? 0xfffd : value;
    if (this.f.sharp && isPrint(cp)) this.pad("'" + String.fromCodePoint(cp) + "'");
    else this.pad(goQuoteRune(cp, this.f.plus));
  }

  fmtFloatBody(v: number, bits: number, verb: string, prec: number): void {
    const f = this.f;
    if (f.prec !== undefined) prec = f.prec;
    let num = formatFloat(v, verb, prec, bits);
    if (num[0] === '-' || num[0] === '+') {
      // keep
    } else num = '+' + num;
    if (f.space && num[0] === '+' && !f.plus) num = ' ' + num.slice(1);
    if (num[1] === 'I' || num[1] === 'N') {
      const z = f.zero;
      f.zero = false;
      if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1);
      this.pad(num);
      f.zero = z;
      return;
    }
    if (f.sharp && verb !== 'b') {
      let digits = 0;
      if (verb === 'v' || verb === 'g' || verb === 'G' || verb === 'x') {
        digits = prec;
        if (digits === -1) digits = 6;
      }
      let tail = '';
      let hasPoint = false;
      let sawNonzero = false;
      let body = num;
      for (let i = 1; i < body.length; i++) {
        const c = body[i];
        if (c === '.') hasPoint = true;
        else if (c === 'p' || c === 'P') {
          tail = body.slice(i);
          body = body.slice(0, i);
          break;
        } else if ((c === 'e' || c === 'E') && verb !== 'x' && verb !== 'X') {
          tail = body.slice(i);
          body = body.slice(0, i);
          break;
        } else {
          if (c !== '0') sawNonzero = true;
          if (sawNonzero) digits--;
        }
      }
      if (!hasPoint) {
        if (body.length === 2 && body[1] === '0') digits--;
        body += '.';
      }
      while (digits > 0) {
        body += '0';
        digits--;
      }
      num = body + tail;
    }
    if (f.plus || num[0] !== '+') {
      if (f.zero && !f.minus && f.width !== undefined && f.width > num.length) {
        this.out += num[0];
        this.padding(f.width - num.length);
        this.out += num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }

  badVerb(verb: string, v: Value): void {
    this.out += '%!' + verb + '(';
    if (isNilish(v)) this.out += '<nil>';
    else {
      this.out += typeName(v) + '=';
      this.printValue(v, 'v', 0);
    }
    this.out += ')';
  }

  fmtFloat(v: Value, x: number, bits: number, verb: string): void {
    switch (verb) {
      case 'v':
        this.fmtFloatBody(x, bits, 'g', -1);
        return;
      case 'b': case 'g': case 'G': case 'x': case 'X':
        this.fmtFloatBody(x, bits, verb, -1);
        return;
      case 'f': case 'e': case 'E':
        this.fmtFloatBody(x, bits, verb, 6);
        return;
      case 'F':
        this.fmtFloatBody(x, bits, 'f', 6);
        return;
      default:
        this.badVerb(verb, v);
    }
  }

  fmtInt(v: GoInt, verb: string): void {
    const signed = !/^(uint|byte|uintptr)/.test(v.type) && !UNSIGNED_NAMED.has(v.type);
    const n = v.value;
    switch (verb) {
      case 'v':
        if (this.f.sharpV && !signed) {
          this.f.sharp = true;
          this.fmtInteger(n, 16, false, verb, LDIGITS);
          this.f.sharp = false;
        } else this.fmtInteger(n, 10, signed, verb, LDIGITS);
        return;
      case 'd': this.fmtInteger(n, 10, signed, verb, LDIGITS); return;
      case 'b': this.fmtInteger(n, 2, signed, verb, LDIGITS); return;
      case 'o': case 'O': this.fmtInteger(n, 8, signed, verb, LDIGITS); return;
      case 'x': this.fmtInteger(n, 16, signed, verb, LDIGITS); return;
      case 'X': this.fmtInteger(n, 16, signed, verb, UDIGITS); return;
      case 'c': this.fmtC(Number(n)); return;
      case 'q': this.fmtQc(Number(n)); return;
      case 'U': this.fmtUnicode(Number(n)); return;
      default: this.badVerb(verb, v);
    }
  }

  fmtString(v: string, verb: string): void {
    switch (verb) {
      case 'v':
        if (this.f.sharpV) this.fmtQ(v);
        else this.fmtS(v);
        return;
      case 's': this.fmtS(v); return;
      case 'x': this.fmtSbx(utf8Bytes(v), LDIGITS); return;
      case 'X': this.fmtSbx(utf8Bytes(v), UDIGITS); return;
      case 'q': this.fmtQ(v); return;
      default: this.badVerb(verb, v);
    }
  }

  /** printArg: a top-level operand. */
  printArg(v: Value, verb: string): void {
    if (isNilish(v)) {
      if (verb === 'T' || verb === 'v') this.pad('<nil>');
      else this.badVerb(verb, v);
      return;
    }
    if (verb === 'T') {
      this.fmtS(typeName(v));
      return;
    }
    if (verb === 'p') {
      this.pointer(v, verb);
      return;
    }
    this.printValue(v, verb, 0);
  }

  pointer(v: Value, verb: string): void {
    if ((v instanceof GoStruct && v.type.startsWith('*')) || v instanceof GoFunc || v instanceof GoMap || v instanceof GoSlice || Array.isArray(v) || isPlainObject(v)) {
      this.fmtInteger(0xc000010000, 16, false, 'v', LDIGITS);
      this.out = this.out.replace(/c000010000$/, '0xc000010000');
    } else if (v instanceof GoNil) this.pad('0x0');
    else this.badVerb(verb, v);
  }

  /** printValue: reflection-driven printing, depth > 0 inside composites. */
  printValue(v: Value, verb: string, depth: number): void {
    const f = this.f;
    if (v === NO_VALUE) {
      if (depth === 0) this.out += '<invalid reflect.Value>';
      else if (verb === 'v') this.out += '<nil>';
      else this.badVerb(verb, null);
      return;
    }
    if (v === null || v === undefined) {
      // a nil interface element
      this.pad('<nil>');
      return;
    }
    if (typeof v === 'string') return this.fmtString(v, verb);
    if (typeof v === 'boolean') {
      if (verb === 't' || verb === 'v') this.pad(v ? 'true' : 'false');
      else this.badVerb(verb, v);
      return;
    }
    if (typeof v === 'number') return this.fmtFloat(v, v, 64, verb);
    if (v instanceof GoFloat) return this.fmtFloat(v, v.value, v.type === 'float32' ? 32 : 64, verb);
    // time.Duration and fs.FileMode are Stringers (%d, %o still print the integer)
    if (v instanceof GoInt && INT_STRINGERS[v.type] && !f.sharpV && 'vsxXq'.includes(verb)) return this.fmtString(INT_STRINGERS[v.type](v.value), verb);
    if (v instanceof GoInt) return this.fmtInt(v, verb);
    if (v instanceof GoStruct && v.methods.String && !f.sharpV && 'vsxXq'.includes(verb)) {
      const s = v.methods.String();
      return this.fmtString(typeof s === 'string' ? s : formatV(s), verb);
    }
    if (v instanceof GoNil) {
      if (v.kind === 'slice') {
        if (f.sharpV) this.out += v.type + '(nil)';
        else this.out += '[]';
      } else if (v.kind === 'map') {
        if (f.sharpV) this.out += v.type + '(nil)';
        else this.out += 'map[]';
      } else if (f.sharpV) this.out += '(' + v.type + ')(nil)';
      else if (verb === 'v' || depth === 0) this.pad('<nil>');
      else this.badVerb(verb, v);
      return;
    }
    if (v instanceof GoFunc) {
      this.pointer(v, verb);
      return;
    }
    if (Array.isArray(v) || v instanceof GoSlice) {
      const items = Array.isArray(v) ? v : v.items;
      if (f.sharpV) {
        this.out += typeName(v) + '{';
        items.forEach((x, i) => {
          if (i > 0) this.out += ', ';
          this.printValue(x, verb, depth + 1);
        });
        this.out += '}';
        return;
      }
      this.out += '[';
      items.forEach((x, i) => {
        if (i > 0) this.out += ' ';
        this.printValue(x, verb, depth + 1);
      });
      this.out += ']';
      return;
    }
    if (v instanceof GoStruct) {
      if (depth > 0 && v.type.startsWith('*')) {
        this.pointer(v, verb);
        return;
      }
      if (v.type.startsWith('*')) this.out += '&';
      if (f.sharpV) this.out += v.type.replace(/^\*/, '');
      this.out += '{';
      v.fields.forEach(([name, x], i) => {
        if (i > 0) this.out += f.sharpV ? ', ' : ' ';
        if (f.plusV || f.sharpV) this.out += name + ':';
        this.printValue(x, verb, depth + 1);
      });
      this.out += '}';
      return;
    }
    const m = v instanceof GoMap ? v.entries : v;
    if (f.sharpV) this.out += typeName(v) + '{';
    else this.out += 'map[';
    sortedKeys(m).forEach((k, i) => {
      if (i > 0) this.out += f.sharpV ? ', ' : ' ';
      this.printValue(k, verb, depth + 1);
      this.out += ':';
      this.printValue(m[k], verb, depth + 1);
    });
    this.out += f.sharpV ? '}' : ']';
  }
}

function newSpec(): Spec {
  return { minus: false, plus: false, sharp: false, zero: false, space: false };
}

/** Format one operand for one verb with the given flags, as fmt does (used by humanize too). */
export function formatOne(v: Value, verb: string, f: Spec): string {
  const p = new Printer();
  p.f = { ...f };
  if (verb === 'v') {
    p.f.sharpV = p.f.sharp;
    p.f.sharp = false;
    p.f.plusV = p.f.plus;
    p.f.plus = false;
  }
  p.printArg(v, verb);
  return p.out;
}

/** fmt's %v (%+v with plus) of a value. */
export function formatV(v: Value, plus = false): string {
  if (typeof v === 'string') return v;
  const p = new Printer();
  if (plus) p.f.plusV = true;
  p.printArg(v, 'v');
  return p.out;
}

function intArg(v: Value): number | undefined {
  return v instanceof GoInt ? v.value : undefined;
}

/** fmt.Sprintf */
export function sprintf(format: string, args: Value[]): string {
  const p = new Printer();
  let argNum = 0;
  let afterIndex = false;
  let reordered = false;
  const end = format.length;
  // [n] argument indexes
  const argNumber = (i: number): { ok: boolean; i: number; found: boolean } => {
    if (i >= end || format[i] !== '[') return { ok: true, i, found: false };
    reordered = true;
    const close = format.indexOf(']', i + 1);
    if (close < 0) return { ok: false, i: end, found: true };
    const txt = format.slice(i + 1, close);
    if (!/^[0-9]+$/.test(txt)) return { ok: false, i: close + 1, found: true };
    const n = Number(txt) - 1;
    if (n >= 0 && n < args.length) {
      argNum = n;
      return { ok: true, i: close + 1, found: true };
    }
    return { ok: false, i: close + 1, found: true };
  };
  let goodArgNum = true;
  let i = 0;
  while (i < end) {
    goodArgNum = true;
    const lasti = i;
    while (i < end && format[i] !== '%') i++;
    if (i > lasti) p.out += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    p.f = newSpec();
    // flags
    for (; i < end; i++) {
      const c = format[i];
      if (c === '#') p.f.sharp = true;
      else if (c === '0') p.f.zero = !p.f.minus;
      else if (c === '+') p.f.plus = true;
      else if (c === '-') {
        p.f.minus = true;
        p.f.zero = false;
      } else if (c === ' ') p.f.space = true;
      else break;
    }
    let r = argNumber(i);
    if (r.found && !r.ok) goodArgNum = false;
    i = r.i;
    afterIndex = r.found;
    // width
    if (i < end && format[i] === '*') {
      i++;
      const w = argNum < args.length ? intArg(args[argNum]) : undefined;
      if (argNum < args.length) argNum++;
      if (w === undefined || Math.abs(w) > 1e6) p.out += '%!(BADWIDTH)';
      else {
        p.f.width = w;
        if (w < 0) {
          p.f.minus = true;
          p.f.zero = false;
          p.f.width = -w;
        }
      }
      afterIndex = false;
    } else {
      const m = /^[0-9]+/.exec(format.slice(i));
      if (m) {
        p.f.width = Number(m[0]);
        i += m[0].length;
        if (afterIndex) goodArgNum = false;
      }
    }
    // precision
    if (i + 1 <= end && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false;
      r = argNumber(i);
      if (r.found && !r.ok) goodArgNum = false;
      i = r.i;
      afterIndex = r.found;
      if (i < end && format[i] === '*') {
        i++;
        const pr = argNum < args.length ? intArg(args[argNum]) : undefined;
        if (argNum < args.length) argNum++;
        if (pr === undefined || Math.abs(pr) > 1e6) p.out += '%!(BADPREC)';
        else if (pr >= 0) p.f.prec = pr;
        afterIndex = false;
      } else {
        const m = /^[0-9]+/.exec(format.slice(i));
        p.f.prec = m ? Number(m[0]) : 0;
        if (m) i += m[0].length;
      }
    }
    if (!afterIndex) {
      r = argNumber(i);
      if (r.found && !r.ok) goodArgNum = false;
      i = r.i;
      afterIndex = r.found;
    }
    if (i >= end) {
      p.out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i)!);
    i += verb.length;
    if (verb === '%') {
      p.out += '%';
    } else if (!goodArgNum) {
      p.out += '%!' + verb + '(BADINDEX)';
    } else if (argNum >= args.length) {
      p.out += '%!' + verb + '(MISSING)';
    } else {
      if (verb === 'v') {
        p.f.sharpV = p.f.sharp;
        p.f.sharp = false;
        p.f.plusV = p.f.plus;
        p.f.plus = false;
      }
      p.printArg(args[argNum], verb);
      argNum++;
    }
  }
  if (!reordered && argNum < args.length) {
    p.f = newSpec();
    p.out += '%!(EXTRA ';
    args.slice(argNum).forEach((a, k) => {
      if (k > 0) p.out += ', ';
      if (isNilish(a)) p.out += '<nil>';
      else {
        p.out += typeName(a) + '=';
        p.printArg(a, 'v');
      }
    });
    p.out += ')';
  }
  return p.out;
}

function isStringKind(v: Value): boolean {
  return typeof v === 'string';
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: Value[]): string {
  const p = new Printer();
  let prevString = false;
  args.forEach((a, i) => {
    const isString = isStringKind(a);
    if (i > 0 && !isString && !prevString) p.out += ' ';
    p.f = newSpec();
    p.printArg(a, 'v');
    prevString = isString;
  });
  return p.out;
}

/** fmt.Sprintln */
export function sprintln(args: Value[]): string {
  const p = new Printer();
  args.forEach((a, i) => {
    if (i > 0) p.out += ' ';
    p.f = newSpec();
    p.printArg(a, 'v');
  });
  return p.out + '\n';
}

// ---- json ---------------------------------------------------------------------------------------

function jsonString(s: string, escapeHTML: boolean): string {
  let out = JSON.stringify(s)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
    .replace(/\\u(d[89a-f][0-9a-f]{2})/g, '\\ufffd');
  if (escapeHTML) out = out.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  return out;
}

/** encoding/json's float64 (bits 64) or float32 formatting. */
export function jsonFloat(x: number, bits = 64): string {
  if (!Number.isFinite(x)) throw new Error(`json: unsupported value: ${formatFloat(x, 'g', -1, bits)}`);
  const a = Math.abs(x);
  let fmt = 'f';
  if (a !== 0) {
    if (bits === 64 && (a < 1e-6 || a >= 1e21)) fmt = 'e';
    if (bits === 32 && (Math.fround(a) < Math.fround(1e-6) || Math.fround(a) >= Math.fround(1e21))) fmt = 'e';
  }
  let s = formatFloat(x, fmt, -1, bits);
  if (fmt === 'e') s = s.replace(/e([+-])0(\d)$/, 'e$1$2');
  return s;
}

/** A value as encoding/json marshals it (compact). escapeHTML as json.Marshal; docker's `json` func turns it off. */
export function marshal(v: Value, escapeHTML = false): string {
  if (isNilish(v)) return 'null';
  if (typeof v === 'string') return jsonString(v, escapeHTML);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return jsonFloat(v);
  if (v instanceof GoInt) return String(v.value);
  if (v instanceof GoFloat) return jsonFloat(v.value, v.type === 'float32' ? 32 : 64);
  if (v instanceof GoNil) return 'null';
  if (v instanceof GoFunc) throw new Error(`json: unsupported type: ${v.type}`);
  if (Array.isArray(v)) return '[' + v.map((x) => marshal(x, escapeHTML)).join(',') + ']';
  if (v instanceof GoSlice) return '[' + v.items.map((x) => marshal(x, escapeHTML)).join(',') + ']';
  if (v instanceof GoStruct) {
    // a MarshalJSON method: docker's implementations call json.Marshal, which escapes HTML; a plain
    // struct's layout is encoded as the encoder says
    if (v.json) return marshalPlain(v.json(), v.jsonEscapes || escapeHTML);
    return '{' + v.fields.map(([k, x]) => jsonString(k, escapeHTML) + ':' + marshal(x, escapeHTML)).join(',') + '}';
  }
  const m = v instanceof GoMap ? v.entries : v;
  return '{' + sortedKeys(m).map((k) => jsonString(k, escapeHTML) + ':' + marshal(m[k], escapeHTML)).join(',') + '}';
}

/** Marshal a plain JavaScript value (already shaped as the JSON docker emits), keeping key order for objects. */
export function marshalPlain(v: unknown, escapeHTML = false): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return jsonString(v, escapeHTML);
  if (typeof v === 'number') return jsonFloat(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (v instanceof GoInt || v instanceof GoStruct || v instanceof GoSlice || v instanceof GoMap || v instanceof GoNil || v instanceof GoFloat || v instanceof GoFunc) {
    return marshal(v, escapeHTML);
  }
  if (Array.isArray(v)) return '[' + v.map((x) => marshalPlain(x, escapeHTML)).join(',') + ']';
  const o = v as Record<string, unknown>;
  return '{' + Object.keys(o).filter((k) => o[k] !== undefined).map((k) => jsonString(k, escapeHTML) + ':' + marshalPlain(o[k], escapeHTML)).join(',') + '}';
}
