/**
 * YAML as Go's gopkg.in/yaml.v3 encoder writes it with SetIndent(2): what `docker stack config`
 * prints. Values: a JS `Map` is a Go struct (its entries in field order, already without the
 * omitempty ones); a plain object is a Go map (keys in yaml.v3's "natural" order); arrays are
 * sequences; strings are quoted when yaml.v3 would (they would read back as another type, or the
 * emitter cannot write them plain).
 */

export type YamlValue = null | undefined | boolean | number | bigint | string | YamlValue[] | Map<string, YamlValue> | { [k: string]: YamlValue } | GoFloat;

/** A Go float (printed with strconv's 'g' format, as yaml.v3 does), for numbers that are floats in Go. */
export class GoFloat {
  constructor(readonly value: number, readonly bits: 32 | 64 = 64) {}
}

const isLetter = (c: string): boolean => /\p{L}/u.test(c);
const isDigit = (c: string): boolean => /\p{Nd}/u.test(c);

/** yaml.v3's keyList.Less for string keys. */
export function yamlKeyLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) {
      digits = isDigit(ar[i]);
      continue;
    }
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return digits ? al : bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1;
          bn = 1;
          break;
        }
      }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + (ar[ai].charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + (br[bi].charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

export const sortKeys = (keys: string[]): string[] => keys.sort((x, y) => (yamlKeyLess(x, y) ? -1 : yamlKeyLess(y, x) ? 1 : 0));

const OLD_BOOL = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF']);

/** Would yaml.v3 read this plain scalar back as something other than a string? */
function resolvesToNonString(s: string): boolean {
  if (s === '' || s === '~' || /^(null|Null|NULL)$/.test(s)) return true;
  if (/^(true|True|TRUE|false|False|FALSE)$/.test(s)) return true;
  if (/^[-+]?(\.inf|\.Inf|\.INF)$/.test(s) || /^(\.nan|\.NaN|\.NAN)$/.test(s)) return true;
  if (s === '<<') return true;
  // ints as strconv.ParseInt(s, 0, 64) / ParseUint reads them (underscores allowed after a base prefix)
  if (/^[-+]?(0|[1-9][0-9_]*)$/.test(s) || /^[-+]?0[xX][0-9a-fA-F_]+$/.test(s) || /^[-+]?0[oO]?[0-7_]+$/.test(s) || /^[-+]?0[bB][01_]+$/.test(s)) return true;
  // floats (yaml.v3's float regexp)
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s)) return true;
  // timestamps
  if (/^\d{4}-\d\d?-\d\d?([Tt ]|$)/.test(s) && /^\d{4}-\d\d?-\d\d?(([Tt]| +)\d\d?:\d\d:\d\d(\.\d*)?( *(Z|[-+]\d\d?(:\d\d)?))?)?$/.test(s)) return true;
  // base-60 floats (isBase60Float)
  if (/^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(s)) return true;
  return OLD_BOOL.has(s);
}

/** The emitter's analysis (libyaml's yaml_emitter_analyze_scalar): can it be plain, single-quoted? */
function analyze(s: string): { plain: boolean; single: boolean; multiline: boolean } {
  if (s === '') return { plain: false, single: true, multiline: false };
  if (s.startsWith('---') || s.startsWith('...')) return { plain: false, single: true, multiline: false };
  let flowInd = false;
  let blockInd = false;
  let special = false;
  let lineBreaks = false;
  let spaceBreak = false;
  let breakSpace = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let prevSpace = false;
  let prevBreak = false;
  const chars = [...s];
  let precededByWhitespace = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    const next = chars[i + 1];
    const followedByWhitespace = next === undefined || /[ \t\r\n\u0085\u2028\u2029]/.test(next);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) {
        flowInd = true;
        blockInd = true;
      }
      if (c === '?' || c === ':') {
        flowInd = true;
        if (followedByWhitespace) blockInd = true;
      }
      if (c === '-' && followedByWhitespace) {
        flowInd = true;
        blockInd = true;
      }
    } else {
      if (',?[]{}'.includes(c)) flowInd = true;
      if (c === ':') {
        flowInd = true;
        if (followedByWhitespace) blockInd = true;
      }
      if (c === '#' && precededByWhitespace) {
        flowInd = true;
        blockInd = true;
      }
    }
    const cp = c.codePointAt(0)!;
    const printable = cp === 0xa || (cp >= 0x20 && cp <= 0x7e) || cp === 0x85 || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff) || (cp >= 0x10000 && cp <= 0x10ffff);
    if (!printable) special = true;
    const isBreak = c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
    if (isBreak) lineBreaks = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevBreak = true;
      prevSpace = false;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByWhitespace = /[ \t\r\n\u0085\u2028\u2029]/.test(c);
  }
  let plain = true;
  let single = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) plain = false;
  if (breakSpace) {
    plain = false;
    single = false;
  }
  if (spaceBreak || special) {
    plain = false;
    single = false;
  }
  if (lineBreaks) plain = false;
  if (blockInd) plain = false;
  void flowInd;
  return { plain, single, multiline: lineBreaks };
}

function doubleQuoted(s: string): string {
  let out = '"';
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (cp === 0) out += '\\0';
    else if (cp < 0x20 || cp === 0x7f || (cp >= 0x80 && cp < 0xa0) || cp === 0xfeff) out += cp <= 0xff ? `\\x${cp.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += c;
  }
  return out + '"';
}

/** A string scalar as yaml.v3 writes it, at the given indentation (for literal blocks). */
function stringScalar(s: string, indent: number): string {
  const a = analyze(s);
  if (s.includes('\n') && !/[^\n\x20-\x7e\u0085\u00a0-\ud7ff\ue000-\ufffd]/u.test(s) && !/^[ \n]/.test(s) && !/ \n/.test(s)) {
    // literal block
    const chomp = s.endsWith('\n\n') || s === '\n' ? '+' : s.endsWith('\n') ? '' : '-';
    const body = (chomp === '' || chomp === '+' ? s.replace(/\n$/, '') : s).split('\n');
    const pad = ' '.repeat(indent);
    return `|${chomp}\n` + body.map((l) => (l ? pad + l : '')).join('\n');
  }
  if (!resolvesToNonString(s) && a.plain) return s;
  if (resolvesToNonString(s)) return doubleQuoted(s);
  if (a.single && !a.multiline) return `'${s.replace(/'/g, "''")}'`;
  return doubleQuoted(s);
}

/** Go's strconv.FormatFloat(f, 'g', -1, bits) with yaml.v3's .inf/.nan. */
function goFloat(f: number, bits: 32 | 64): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  let v = f;
  let digits: string;
  if (bits === 32) {
    const f32 = Math.fround(f);
    v = f32;
    // shortest repr that rounds to the same float32
    for (let p = 1; p <= 9; p++) {
      const c = Number(f32.toPrecision(p));
      if (Math.fround(c) === f32) {
        v = c;
        break;
      }
    }
  }
  const exp = v === 0 ? 0 : Math.floor(Math.log10(Math.abs(v)));
  if (exp < -4 || exp >= 21) {
    const [m, e] = v.toExponential().split('e');
    const n = Number(e);
    digits = `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  } else digits = String(v);
  return digits;
}

function scalar(v: YamlValue, indent: number): string | undefined {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : goFloat(v, 64);
  if (typeof v === 'bigint') return String(v);
  if (v instanceof GoFloat) return goFloat(v.value, v.bits);
  if (typeof v === 'string') return stringScalar(v, indent);
  return undefined;
}

function entries(v: Map<string, YamlValue> | { [k: string]: YamlValue }): [string, YamlValue][] {
  if (v instanceof Map) return [...v.entries()];
  return sortKeys(Object.keys(v)).map((k) => [k, v[k]]);
}

function isCollection(v: YamlValue): v is YamlValue[] | Map<string, YamlValue> | { [k: string]: YamlValue } {
  return v !== null && typeof v === 'object' && !(v instanceof GoFloat);
}

function isEmpty(v: YamlValue[] | Map<string, YamlValue> | { [k: string]: YamlValue }): boolean {
  if (Array.isArray(v)) return v.length === 0;
  if (v instanceof Map) return v.size === 0;
  return Object.keys(v).length === 0;
}

function emit(v: YamlValue, indent: number, lines: string[], prefix: string): void {
  // prefix: what is already on the current line ("key:" or "- "), written by the caller into lines' last entry
  if (!isCollection(v) || isEmpty(v)) {
    const text = isCollection(v) ? (Array.isArray(v) ? '[]' : '{}') : scalar(v, indent)!;
    lines.push(prefix + (prefix.endsWith(':') ? ' ' : '') + text);
    return;
  }
  if (Array.isArray(v)) {
    if (prefix.endsWith(':')) {
      lines.push(prefix);
      const pad = ' '.repeat(indent);
      for (const item of v) emitItem(item, indent, lines, pad + '- ');
    } else {
      // a sequence right after "- ": its first item on the same line
      let first = true;
      for (const item of v) {
        emitItem(item, indent, lines, first ? prefix + '- ' : ' '.repeat(indent) + '- ');
        first = false;
      }
    }
    return;
  }
  const es = entries(v);
  if (prefix.endsWith(':')) {
    lines.push(prefix);
    const pad = ' '.repeat(indent);
    for (const [k, val] of es) emitEntry(k, val, indent, lines, pad);
  } else {
    let first = true;
    for (const [k, val] of es) {
      emitEntry(k, val, indent, lines, first ? prefix : ' '.repeat(indent));
      first = false;
    }
  }
}

function emitItem(item: YamlValue, indent: number, lines: string[], linePrefix: string): void {
  // items of a sequence: contents indented two past the dash
  emit(item, indent + 2, lines, linePrefix);
}

function emitEntry(k: string, val: YamlValue, indent: number, lines: string[], linePrefix: string): void {
  const key = stringScalar(k, indent);
  emit(val, indent + 2, lines, `${linePrefix}${key}:`);
}

/** The document yaml.v3's Encoder (SetIndent(2)) writes for this value. */
export function yamlV3(v: YamlValue): string {
  const lines: string[] = [];
  if (isCollection(v) && !isEmpty(v)) {
    if (Array.isArray(v)) for (const item of v) emitItem(item, 0, lines, '- ');
    else for (const [k, val] of entries(v)) emitEntry(k, val, 0, lines, '');
  } else lines.push(isCollection(v) ? (Array.isArray(v) ? '[]' : '{}') : scalar(v, 0)!);
  return lines.join('\n') + '\n';
}
