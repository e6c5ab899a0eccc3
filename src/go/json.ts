/**
 * Go's encoding/json syntax check (checkValid): the first syntax error of a text, worded as Go's
 * SyntaxError is ("invalid character 'i' looking for beginning of object key string"), or undefined
 * when the text is one valid JSON value (surrounding white space allowed).
 */

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** Go's quoteChar: the offending byte as `'x'`, escaped as strconv.Quote escapes it. */
export function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  const esc: Record<number, string> = { 0x07: '\\a', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x0b: '\\v', 0x5c: '\\\\' };
  if (esc[c]) return `'${esc[c]}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  // a byte above 0x7f is read as the rune of that value (Latin-1); U+0080..U+009F and U+00AD are not printable
  if ((c >= 0x80 && c <= 0x9f) || c === 0xad) return `'\\u00${c.toString(16).padStart(2, '0')}'`;
  return `'${String.fromCharCode(c)}'`;
}

type Parse = 'key' | 'value' | 'array';

export function jsonSyntaxError(text: string | Uint8Array): string | undefined {
  const b = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const stack: Parse[] = [];
  const err = (c: number, ctx: string): string => `invalid character ${quoteChar(c)} ${ctx}`;
  // each state reads one byte and answers the next state, or an error text
  type State = (c: number) => State | string;
  let endTop = false;

  const endValue: State = (c) => {
    const n = stack.length;
    if (n === 0) {
      endTop = true;
      return endTopState(c);
    }
    if (isSpace(c)) return endValue;
    const ps = stack[n - 1];
    if (ps === 'key') {
      if (c === 0x3a) {
        stack[n - 1] = 'value';
        return beginValue;
      }
      return err(c, 'after object key');
    }
    if (ps === 'value') {
      if (c === 0x2c) {
        stack[n - 1] = 'key';
        return beginString;
      }
      if (c === 0x7d) {
        stack.pop();
        return endValue;
      }
      return err(c, 'after object key:value pair');
    }
    if (c === 0x2c) return beginValue;
    if (c === 0x5d) {
      stack.pop();
      return endValue;
    }
    return err(c, 'after array element');
  };
  const endTopState: State = (c) => (isSpace(c) ? endTopState : err(c, 'after top-level value'));

  const inString: State = (c) => {
    if (c === 0x22) return endValue;
    if (c === 0x5c) return inStringEsc;
    if (c < 0x20) return err(c, 'in string literal');
    return inString;
  };
  const inStringEsc: State = (c) => {
    if ('bfnrt\\/"'.includes(String.fromCharCode(c))) return inString;
    if (c === 0x75) return hex(4);
    return err(c, 'in string escape code');
  };
  const hex = (left: number): State => (c) => {
    if (!isHex(c)) return err(c, 'in \\u hexadecimal character escape');
    return left === 1 ? inString : hex(left - 1);
  };

  const neg: State = (c) => {
    if (c === 0x30) return zero;
    if (c >= 0x31 && c <= 0x39) return one;
    return err(c, 'in numeric literal');
  };
  const one: State = (c) => (isDigit(c) ? one : zero(c));
  const zero: State = (c) => {
    if (c === 0x2e) return dot;
    if (c === 0x65 || c === 0x45) return exp;
    return endValue(c);
  };
  const dot: State = (c) => (isDigit(c) ? dot0 : err(c, 'after decimal point in numeric literal'));
  const dot0: State = (c) => {
    if (isDigit(c)) return dot0;
    if (c === 0x65 || c === 0x45) return exp;
    return endValue(c);
  };
  const exp: State = (c) => (c === 0x2b || c === 0x2d ? expSign : expSign(c));
  const expSign: State = (c) => (isDigit(c) ? exp0 : err(c, 'in exponent of numeric literal'));
  const exp0: State = (c) => (isDigit(c) ? exp0 : endValue(c));

  const literal = (word: string, i: number): State => (c) => {
    if (c !== word.charCodeAt(i)) return err(c, `in literal ${word} (expecting '${word[i]}')`);
    return i === word.length - 1 ? endValue : literal(word, i + 1);
  };

  const beginValue: State = (c) => {
    if (isSpace(c)) return beginValue;
    switch (c) {
      case 0x7b:
        stack.push('key');
        return beginStringOrEmpty;
      case 0x5b:
        stack.push('array');
        return beginValueOrEmpty;
      case 0x22:
        return inString;
      case 0x2d:
        return neg;
      case 0x30:
        return zero;
      case 0x74:
        return literal('true', 1);
      case 0x66:
        return literal('false', 1);
      case 0x6e:
        return literal('null', 1);
    }
    if (c >= 0x31 && c <= 0x39) return one;
    return err(c, 'looking for beginning of value');
  };
  const beginStringOrEmpty: State = (c) => {
    if (isSpace(c)) return beginStringOrEmpty;
    if (c === 0x7d) {
      stack.pop();
      return endValue;
    }
    return beginString(c);
  };
  const beginString: State = (c) => {
    if (isSpace(c)) return beginString;
    if (c === 0x22) return inString;
    return err(c, 'looking for beginning of object key string');
  };
  const beginValueOrEmpty: State = (c) => {
    if (isSpace(c)) return beginValueOrEmpty;
    if (c === 0x5d) return endValue(c);
    return beginValue(c);
  };

  let state: State = beginValue;
  for (const c of b) {
    const next = state(c);
    if (typeof next === 'string') return next;
    state = next;
  }
  if (endTop) return undefined;
  // at the end, Go's scanner feeds one space: a number or a closed value ends there
  const last = state(0x20);
  if (typeof last === 'string') return last;
  return endTop ? undefined : 'unexpected end of JSON input';
}

/**
 * Go's json.Indent: the value re-laid with one element per line, `indent` per level, `": "` after keys,
 * empty objects and arrays kept as `{}`/`[]`; white space between tokens dropped, trailing white space kept.
 */
export function goIndent(src: string, prefix: string, indent: string): string {
  let out = '';
  let depth = 0;
  let needIndent = false;
  const nl = (): string => '\n' + prefix + indent.repeat(depth);
  let i = 0;
  while (i < src.length && ' \t\r\n'.includes(src[i])) i++;
  let end = src.length;
  while (end > i && ' \t\r\n'.includes(src[end - 1])) end--;
  for (; i < end; i++) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') continue;
    if (needIndent && c !== ']' && c !== '}') {
      needIndent = false;
      depth++;
      out += nl();
    }
    if (c === '"') {
      let j = i + 1;
      while (j < end && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j;
      continue;
    }
    switch (c) {
      case '{':
      case '[':
        needIndent = true;
        out += c;
        break;
      case ',':
        out += c + nl();
        break;
      case ':':
        out += ': ';
        break;
      case '}':
      case ']':
        if (needIndent) {
          needIndent = false;
        } else {
          depth--;
          out += nl();
        }
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out + src.slice(end);
}

/** Go's json.Marshal of a JSON value built in JS: compact, keys in insertion order, <, > and & escaped. */
export function goMarshal(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
