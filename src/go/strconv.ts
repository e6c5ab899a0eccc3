/** Go's strconv: parsing bools and ints (with Go's error texts), quoting (Quote, QuoteRune) and FormatFloat. */

/** Go's strconv.ParseBool */
export function parseGoBool(text: string): boolean | undefined {
  switch (text) {
    case '1': case 't': case 'T': case 'true': case 'TRUE': case 'True':
      return true;
    case '0': case 'f': case 'F': case 'false': case 'FALSE': case 'False':
      return false;
    default:
      return undefined;
  }
}

/** Go's strconv.ParseInt(text, 0, 64) error text, or the number. */
export function parseGoInt(text: string, bits = 64): number {
  const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|[0-9_]+)$/.exec(text);
  if (!m || text.includes('__') || /_$/.test(text)) throw new Error(`strconv.ParseInt: parsing ${goQuote(text)}: invalid syntax`);
  const body = m[2].replace(/_/g, '');
  let n: number;
  if (/^0[xX]/.test(body)) n = parseInt(body.slice(2), 16);
  else if (/^0[bB]/.test(body)) n = parseInt(body.slice(2), 2);
  else if (/^0[oO]/.test(body)) n = parseInt(body.slice(2), 8);
  else if (body.length > 1 && body.startsWith('0')) n = parseInt(body.slice(1), 8);
  else n = parseInt(body, 10);
  if (m[1] === '-') n = -n;
  const limit = 2 ** (bits - 1);
  if (n >= limit || n < -limit) throw new Error(`strconv.ParseInt: parsing ${goQuote(text)}: value out of range`);
  return n;
}

// ---- quoting -----------------------------------------------------------------------------------

/** unicode.IsPrint, approximately (letters, marks, numbers, punctuation, symbols and U+0020). */
export function isPrint(cp: number): boolean {
  // ASCII without the Unicode property classes (compiling them costs ~1.5 ms, paid by `ps` otherwise)
  if (cp < 0x7f) return cp >= 0x20;
  if (cp < 0xa0 || cp === 0xad) return false;
  if (cp >= 0xd800 && cp <= 0xdfff) return false;
  if (cp > 0x10ffff) return false;
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(cp));
}

function quoteRuneBody(cp: number, quote: string, ascii: boolean): string {
  const ch = String.fromCodePoint(cp);
  if (ch === quote || ch === '\\') return '\\' + ch;
  if (ascii ? cp < 0x7f && isPrint(cp) : isPrint(cp)) return ch;
  switch (cp) {
    case 7: return '\\a';
    case 8: return '\\b';
    case 12: return '\\f';
    case 10: return '\\n';
    case 13: return '\\r';
    case 9: return '\\t';
    case 11: return '\\v';
  }
  if (cp < 0x20 || cp === 0x7f) return '\\x' + cp.toString(16).padStart(2, '0');
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd';
  if (cp < 0x10000) return '\\u' + cp.toString(16).padStart(4, '0');
  return '\\U' + cp.toString(16).padStart(8, '0');
}

/** strconv.Quote (or QuoteToASCII): Go's %q of a string; the one quoting function of tdocker. */
export function goQuote(s: string, ascii = false): string {
  // printable ASCII without a quote or a backslash is quoted as it is (every row of ps has one)
  if (/^[ !#-[\]-~]*$/.test(s)) return `"${s}"`;
  let out = '"';
  for (const ch of s) out += quoteRuneBody(ch.codePointAt(0)!, '"', ascii);
  return out + '"';
}

/** strconv.QuoteRune (or QuoteRuneToASCII). */
export function goQuoteRune(cp: number, ascii = false): string {
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp < 0) cp = 0xfffd;
  return "'" + quoteRuneBody(cp, "'", ascii) + "'";
}

// ---- strconv float formatting -------------------------------------------------------------------

interface Digits {
  d: string; // significant digits, no trailing zeros ("" for zero)
  dp: number; // decimal point position: value = 0.d * 10^dp
}

function trimZeros(d: Digits): Digits {
  let e = d.d.length;
  while (e > 0 && d.d[e - 1] === '0') e--;
  return e === d.d.length ? d : { d: d.d.slice(0, e), dp: e === 0 ? 0 : d.dp };
}

/** The (near-)exact decimal expansion of |x|, x finite and non-zero. */
function exactDigits(x: number): Digits {
  const a = Math.abs(x);
  if (a >= 2 ** 53) {
    const s = BigInt(a).toString();
    return trimZeros({ d: s, dp: s.length });
  }
  const [m, e] = a.toExponential(100).split('e');
  return trimZeros({ d: m.replace('.', ''), dp: Number(e) + 1 });
}

/** Shortest digits that read back as x (float64, or float32 when bits is 32). */
function shortestDigits(x: number, bits: number): Digits {
  const a = Math.abs(x);
  if (bits === 32) {
    for (let p = 1; p <= 9; p++) {
      const s = a.toPrecision(p);
      if (Math.fround(Number(s)) === a) {
        const [m, e] = Number(s).toExponential().split('e');
        return trimZeros({ d: m.replace('.', ''), dp: Number(e) + 1 });
      }
    }
  }
  const [m, e] = a.toExponential().split('e');
  return trimZeros({ d: m.replace('.', ''), dp: Number(e) + 1 });
}

/** Round exact digits to nd significant digits, half to even on exact ties (as strconv). */
function roundDigits(ex: Digits, nd: number): Digits {
  if (nd < 0) return { d: '', dp: 0 };
  if (nd >= ex.d.length) return ex;
  const next = ex.d.charCodeAt(nd) - 48;
  let up: boolean;
  if (next > 5) up = true;
  else if (next < 5) up = false;
  else if (nd + 1 < ex.d.length) up = true; // more non-zero digits follow (trailing zeros trimmed)
  else up = nd > 0 && (ex.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  let d = ex.d.slice(0, nd);
  let dp = ex.dp;
  if (up) {
    const arr = d.split('');
    let i = arr.length - 1;
    while (i >= 0 && arr[i] === '9') {
      arr[i] = '0';
      i--;
    }
    if (i < 0) {
      arr.unshift('1');
      arr.pop();
      dp++;
      if (arr.length === 0) arr.push('1');
    } else arr[i] = String.fromCharCode(arr[i].charCodeAt(0) + 1);
    d = arr.join('');
  }
  return trimZeros({ d, dp });
}

function fmtE(neg: boolean, dg: Digits, prec: number, fmt: string): string {
  let s = neg ? '-' : '';
  s += dg.d.length ? dg.d[0] : '0';
  if (prec > 0) {
    s += '.';
    let i = 1;
    const m = Math.min(dg.d.length, prec + 1);
    if (i < m) {
      s += dg.d.slice(i, m);
      i = m;
    }
    for (; i <= prec; i++) s += '0';
  }
  s += fmt;
  let exp = dg.dp - 1;
  if (dg.d.length === 0) exp = 0;
  s += exp < 0 ? '-' : '+';
  exp = Math.abs(exp);
  s += exp < 10 ? '0' + exp : String(exp);
  return s;
}

function fmtF(neg: boolean, dg: Digits, prec: number): string {
  let s = neg ? '-' : '';
  if (dg.dp > 0) {
    const m = Math.min(dg.d.length, dg.dp);
    s += dg.d.slice(0, m) + '0'.repeat(dg.dp - m);
  } else s += '0';
  if (prec > 0) {
    s += '.';
    for (let i = 1; i <= prec; i++) {
      const j = dg.dp + i - 1;
      s += j >= 0 && j < dg.d.length ? dg.d[j] : '0';
    }
  }
  return s;
}

function hexFloat(x: number, prec: number, upper: boolean, bits: number): string {
  let s: string;
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  if (a === 0) {
    s = '0x0' + (prec > 0 ? '.' + '0'.repeat(prec) : '') + 'p+00';
  } else {
    let e = Math.floor(Math.log2(a));
    let m = a / 2 ** e;
    if (m >= 2) {
      m /= 2;
      e++;
    }
    if (m < 1) {
      m *= 2;
      e--;
    }
    const mbits = bits === 32 ? 23 : 52;
    let mant = BigInt(Math.round((m - 1) * 2 ** mbits)); // fraction bits
    let nib = bits === 32 ? 6 : 13; // fraction nibbles (float32: shift to 24 bits)
    if (bits === 32) mant <<= 1n;
    let lead = 1n;
    if (prec >= 0 && prec < nib) {
      const shift = BigInt((nib - prec) * 4);
      const half = 1n << (shift - 1n);
      const rem = mant & ((1n << shift) - 1n);
      mant >>= shift;
      if (rem > half || (rem === half && (mant & 1n) === 1n)) mant++;
      if (mant >> BigInt(prec * 4) !== 0n) {
        mant &= (1n << BigInt(prec * 4)) - 1n;
        lead = 1n;
        e++;
      }
      nib = prec;
    }
    let frac = nib > 0 ? mant.toString(16).padStart(nib, '0') : '';
    if (prec < 0) frac = frac.replace(/0+$/, '');
    else frac = frac.padEnd(prec, '0');
    const ae = Math.abs(e);
    s = '0x' + lead.toString() + (frac ? '.' + frac : '') + 'p' + (e < 0 ? '-' : '+') + (ae < 10 ? '0' + ae : String(ae));
  }
  if (upper) s = s.toUpperCase();
  return (neg ? '-' : '') + s;
}

/** strconv.FormatFloat(x, fmt, prec, bits). */
export function formatFloat(x: number, fmt: string, prec: number, bits = 64): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (fmt === 'x' || fmt === 'X') return hexFloat(x, prec, fmt === 'X', bits);
  const neg = x < 0 || Object.is(x, -0);
  const shortest = prec < 0;
  let dg: Digits;
  if (x === 0) dg = { d: '', dp: 0 };
  else if (shortest) dg = shortestDigits(x, bits);
  else {
    const ex = exactDigits(x);
    if (fmt === 'e' || fmt === 'E') dg = roundDigits(ex, prec + 1);
    else if (fmt === 'f') dg = roundDigits(ex, ex.dp + prec);
    else dg = roundDigits(ex, prec === 0 ? 1 : prec);
  }
  if (shortest) {
    if (fmt === 'e' || fmt === 'E') prec = Math.max(dg.d.length - 1, 0);
    else if (fmt === 'f') prec = Math.max(dg.d.length - dg.dp, 0);
    else prec = dg.d.length;
  }
  switch (fmt) {
    case 'e':
    case 'E':
      return fmtE(neg, dg, prec, fmt);
    case 'f':
      return fmtF(neg, dg, prec);
    case 'g':
    case 'G': {
      if (!shortest && prec === 0) prec = 1;
      let eprec = prec;
      if (eprec > dg.d.length && dg.d.length >= dg.dp) eprec = dg.d.length;
      if (shortest) eprec = 6;
      const exp = dg.dp - 1;
      if (dg.d.length !== 0 && (exp < -4 || exp >= eprec)) {
        if (prec > dg.d.length) prec = dg.d.length;
        return fmtE(neg, dg, prec - 1, fmt === 'g' ? 'e' : 'E');
      }
      if (prec > dg.dp) prec = dg.d.length;
      return fmtF(neg, dg, Math.max(prec - dg.dp, 0));
    }
  }
  return '%' + fmt;
}

/** strconv.FormatFloat(x, 'g', -1, 64): what %v prints for a float64. */
export function formatFloatShortest(x: number, upper = false): string {
  return formatFloat(x, upper ? 'G' : 'g', -1, 64);
}

