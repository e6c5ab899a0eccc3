import { goQuote } from '../../go/strconv.js';
/**
 * The lexer of Go's text/template (text/template/parse/lex.go): items with byte positions and lines,
 * trim markers "{{- " / " -}}", comments, and Go's lexical error texts.
 *
 * Positions are UTF-8 byte offsets, as Go reports them; the lexer works on the JavaScript string and
 * converts offsets when it emits.
 */

export const enum T {
  Error,
  Bool,
  Char,
  CharConstant,
  Comment,
  Assign,
  Declare,
  EOF,
  Field,
  Identifier,
  LeftDelim,
  LeftParen,
  Number,
  Pipe,
  RawString,
  RightDelim,
  RightParen,
  Space,
  String,
  Text,
  Variable,
  Keyword, // delimiter: keywords follow
  Block,
  Break,
  Continue,
  Dot,
  Define,
  Else,
  End,
  If,
  Nil,
  Range,
  Template,
  With,
}

export interface Item {
  typ: T;
  pos: number; // byte offset
  val: string;
  line: number;
}

const KEYWORDS: Record<string, T> = {
  '.': T.Dot,
  block: T.Block,
  break: T.Break,
  continue: T.Continue,
  define: T.Define,
  else: T.Else,
  end: T.End,
  if: T.If,
  range: T.Range,
  nil: T.Nil,
  template: T.Template,
  with: T.With,
};

/** item.String() as Go prints it in "unexpected %s in %s". */
export function itemString(i: Item): string {
  if (i.typ === T.EOF) return 'EOF';
  if (i.typ === T.Error) return i.val;
  if (i.typ > T.Keyword) return `<${i.val}>`;
  if ([...i.val].length > 10) return goQuotePrefix(i.val, 10) + '...';
  return goQuotePrefix(i.val, Infinity);
}

/** %q of a string, or %.Nq (the first N runes). */
function goQuotePrefix(s: string, n: number): string {
  return goQuote([...s].slice(0, n).join(''));
}

/** %#U of a rune: U+0041 'A' */
export function runeU(r: number): string {
  const hex = 'U+' + r.toString(16).toUpperCase().padStart(4, '0');
  if (r === -1) return 'U+FFFFFFFFFFFFFFFF';
  return /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(String.fromCodePoint(r)) ? `${hex} '${String.fromCodePoint(r)}'` : hex;
}

const EOF = -1;

function isSpace(r: number): boolean {
  return r === 0x20 || r === 0x09 || r === 0x0d || r === 0x0a;
}

function isAlphaNumeric(r: number): boolean {
  if (r === 0x5f) return true;
  if (r < 0) return false;
  if (r < 0x80) return (r >= 0x30 && r <= 0x39) || (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a);
  return /[\p{L}\p{Nd}]/u.test(String.fromCodePoint(r));
}

function isPrintASCII(r: number): boolean {
  return r >= 0x20 && r < 0x7f;
}

const LEFT = '{{';
const RIGHT = '}}';

/** Lex a whole template into items (ending with EOF or an Error item). */
export function lex(input: string, opts: { breakOK: boolean; continueOK: boolean }): Item[] {
  const items: Item[] = [];
  let pos = 0; // in UTF-16 units
  let start = 0;
  let parenDepth = 0;
  let width = 0;
  // byte offset of a UTF-16 offset, computed incrementally
  let byteAt = 0;
  let byteAtPos = 0;
  const bytePos = (p: number): number => {
    if (p < byteAtPos) {
      byteAt = 0;
      byteAtPos = 0;
    }
    for (let i = byteAtPos; i < p; i++) {
      const c = input.charCodeAt(i);
      if (c < 0x80) byteAt += 1;
      else if (c < 0x800) byteAt += 2;
      else if (c >= 0xd800 && c <= 0xdbff) {
        byteAt += 4;
        i++;
        if (i >= p) {
          byteAtPos = i + 1;
          return byteAt;
        }
      } else byteAt += 3;
    }
    byteAtPos = p;
    return byteAt;
  };

  const next = (): number => {
    if (pos >= input.length) {
      width = 0;
      return EOF;
    }
    const r = input.codePointAt(pos)!;
    width = r > 0xffff ? 2 : 1;
    pos += width;
    return r;
  };
  const backup = (): void => {
    pos -= width;
  };
  const peek = (): number => {
    const r = next();
    backup();
    return r;
  };
  const countNL = (a: number, b: number): number => {
    let n = 0;
    for (let i = a; i < b; i++) if (input.charCodeAt(i) === 10) n++;
    return n;
  };
  // the line of an offset, computed incrementally (offsets mostly increase)
  let lineAtPos = 0;
  let lineAtVal = 1;
  const lineOf = (p: number): number => {
    if (p < lineAtPos) {
      lineAtPos = 0;
      lineAtVal = 1;
    }
    lineAtVal += countNL(lineAtPos, p);
    lineAtPos = p;
    return lineAtVal;
  };
  const thisItem = (typ: T): Item => {
    const it: Item = { typ, pos: bytePos(start), val: input.slice(start, pos), line: lineOf(start) };
    start = pos;
    return it;
  };
  const emit = (typ: T): void => {
    items.push(thisItem(typ));
  };
  const ignore = (): void => {
    start = pos;
  };
  const accept = (valid: string): boolean => {
    const r = next();
    if (r !== EOF && valid.includes(String.fromCodePoint(r))) return true;
    backup();
    return false;
  };
  const acceptRun = (valid: string): void => {
    for (;;) {
      const r = next();
      if (r === EOF || !valid.includes(String.fromCodePoint(r))) break;
    }
    backup();
  };
  const errorf = (msg: string): null => {
    items.push({ typ: T.Error, pos: bytePos(start), val: msg, line: lineOf(start) });
    return null;
  };
  const hasLeftTrimMarker = (p: number): boolean => input[p] === '-' && isSpace(input.charCodeAt(p + 1));
  const hasRightTrimMarker = (p: number): boolean => isSpace(input.charCodeAt(p)) && input[p + 1] === '-';
  const atRightDelim = (): { delim: boolean; trim: boolean } => {
    if (hasRightTrimMarker(pos) && input.startsWith(RIGHT, pos + 2)) return { delim: true, trim: true };
    if (input.startsWith(RIGHT, pos)) return { delim: true, trim: false };
    return { delim: false, trim: false };
  };
  const leftTrimLength = (p: number): number => {
    let i = p;
    while (i < input.length && isSpace(input.charCodeAt(i))) i++;
    return i - p;
  };
  const atTerminator = (): boolean => {
    const r = peek();
    if (isSpace(r)) return true;
    switch (r) {
      case EOF: case 0x2e: case 0x2c: case 0x7c: case 0x3a: case 0x29: case 0x28:
        return true;
    }
    return input.startsWith(RIGHT, pos);
  };

  type State = (() => State) | null;

  const lexText = (): State => {
    const x = input.indexOf(LEFT, pos);
    if (x >= 0) {
      if (x > pos) {
        pos = x;
        let trimLength = 0;
        if (hasLeftTrimMarker(pos + LEFT.length)) {
          let i = pos;
          while (i > start && isSpace(input.charCodeAt(i - 1))) i--;
          trimLength = pos - i;
        }
        pos -= trimLength;
        const it = thisItem(T.Text);
        pos += trimLength;
        ignore();
        if (it.val.length > 0) items.push(it);
      }
      return lexLeftDelim;
    }
    pos = input.length;
    if (pos > start) {
      emit(T.Text);
    }
    emit(T.EOF);
    return null;
  };

  const lexLeftDelim = (): State => {
    pos += LEFT.length;
    const trimSpace = hasLeftTrimMarker(pos);
    const after = trimSpace ? 2 : 0;
    if (input.startsWith('/*', pos + after)) {
      pos += after;
      ignore();
      return lexComment;
    }
    const it = thisItem(T.LeftDelim);
    pos += after;
    ignore();
    parenDepth = 0;
    items.push(it);
    return lexInsideAction;
  };

  const lexComment = (): State => {
    pos += 2;
    const x = input.indexOf('*/', pos);
    if (x < 0) return errorf('unclosed comment');
    pos = x + 2;
    const { delim, trim } = atRightDelim();
    if (!delim) return errorf('comment ends before closing delimiter');
    thisItem(T.Comment);
    if (trim) pos += 2;
    pos += RIGHT.length;
    if (trim) pos += leftTrimLength(pos);
    ignore();
    return lexText;
  };

  const lexRightDelim = (): State => {
    const { trim } = atRightDelim();
    if (trim) {
      pos += 2;
      ignore();
    }
    pos += RIGHT.length;
    const it = thisItem(T.RightDelim);
    if (trim) {
      pos += leftTrimLength(pos);
      ignore();
    }
    items.push(it);
    return lexText;
  };

  const lexInsideAction = (): State => {
    const { delim } = atRightDelim();
    if (delim) {
      if (parenDepth === 0) return lexRightDelim;
      return errorf('unclosed left paren');
    }
    const r = next();
    if (r === EOF) return errorf('unclosed action');
    if (isSpace(r)) {
      backup();
      return lexSpace;
    }
    switch (r) {
      case 0x3d: // =
        emit(T.Assign);
        return lexInsideAction;
      case 0x3a: // :
        if (next() !== 0x3d) return errorf('expected :=');
        emit(T.Declare);
        return lexInsideAction;
      case 0x7c:
        emit(T.Pipe);
        return lexInsideAction;
      case 0x22:
        return lexQuote;
      case 0x60:
        return lexRawQuote;
      case 0x24:
        return lexVariable;
      case 0x27:
        return lexChar;
      case 0x28:
        emit(T.LeftParen);
        parenDepth++;
        return lexInsideAction;
      case 0x29:
        parenDepth--;
        if (parenDepth < 0) return errorf('unexpected right paren');
        emit(T.RightParen);
        return lexInsideAction;
    }
    if (r === 0x2e) {
      if (pos < input.length) {
        const c = input.charCodeAt(pos);
        if (c < 0x30 || c > 0x39) return lexField;
      }
      backup();
      return lexNumber;
    }
    if (r === 0x2b || r === 0x2d || (r >= 0x30 && r <= 0x39)) {
      backup();
      return lexNumber;
    }
    if (isAlphaNumeric(r)) {
      backup();
      return lexIdentifier;
    }
    if (isPrintASCII(r)) {
      emit(T.Char);
      return lexInsideAction;
    }
    return errorf(`unrecognized character in action: ${runeU(r)}`);
  };

  const lexSpace = (): State => {
    let numSpaces = 0;
    for (;;) {
      const r = peek();
      if (!isSpace(r)) break;
      next();
      numSpaces++;
    }
    if (hasRightTrimMarker(pos - 1) && input.startsWith(RIGHT, pos - 1 + 2)) {
      backup();
      if (numSpaces === 1) return lexRightDelim;
    }
    emit(T.Space);
    return lexInsideAction;
  };

  const lexIdentifier = (): State => {
    for (;;) {
      const r = next();
      if (isAlphaNumeric(r)) continue;
      backup();
      const word = input.slice(start, pos);
      if (!atTerminator()) return errorf(`bad character ${runeU(r)}`);
      const k = KEYWORDS[word];
      if (k !== undefined && k > T.Keyword) {
        if ((k === T.Break && !opts.breakOK) || (k === T.Continue && !opts.continueOK)) emit(T.Identifier);
        else emit(k);
      } else if (word[0] === '.') emit(T.Field);
      else if (word === 'true' || word === 'false') emit(T.Bool);
      else emit(T.Identifier);
      return lexInsideAction;
    }
  };

  const lexFieldOrVariable = (typ: T): State => {
    if (atTerminator()) {
      emit(typ === T.Variable ? T.Variable : T.Dot);
      return lexInsideAction;
    }
    let r: number;
    for (;;) {
      r = next();
      if (!isAlphaNumeric(r)) {
        backup();
        break;
      }
    }
    if (!atTerminator()) return errorf(`bad character ${runeU(r)}`);
    emit(typ);
    return lexInsideAction;
  };
  const lexField = (): State => lexFieldOrVariable(T.Field);
  const lexVariable = (): State => {
    if (atTerminator()) {
      emit(T.Variable);
      return lexInsideAction;
    }
    return lexFieldOrVariable(T.Variable);
  };

  const lexChar = (): State => {
    for (;;) {
      let r = next();
      if (r === 0x5c) {
        r = next();
        if (r !== EOF && r !== 10) continue;
        return errorf('unterminated character constant');
      }
      if (r === EOF || r === 10) return errorf('unterminated character constant');
      if (r === 0x27) break;
    }
    emit(T.CharConstant);
    return lexInsideAction;
  };

  const scanNumber = (): boolean => {
    accept('+-');
    let digits = '0123456789_';
    if (accept('0')) {
      if (accept('xX')) digits = '0123456789abcdefABCDEF_';
      else if (accept('oO')) digits = '01234567_';
      else if (accept('bB')) digits = '01_';
    }
    acceptRun(digits);
    if (accept('.')) acceptRun(digits);
    if (digits.length === 11 && accept('eE')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    if (digits.length === 23 && accept('pP')) {
      accept('+-');
      acceptRun('0123456789_');
    }
    accept('i');
    if (isAlphaNumeric(peek())) {
      next();
      return false;
    }
    return true;
  };

  const lexNumber = (): State => {
    if (!scanNumber()) return errorf(`bad number syntax: ${goQuotePrefix(input.slice(start, pos), Infinity)}`);
    const sign = peek();
    if (sign === 0x2b || sign === 0x2d) {
      if (!scanNumber() || input[pos - 1] !== 'i') return errorf(`bad number syntax: ${goQuotePrefix(input.slice(start, pos), Infinity)}`);
      emit(T.Number); // complex constants: not supported beyond lexing
      return lexInsideAction;
    }
    emit(T.Number);
    return lexInsideAction;
  };

  const lexQuote = (): State => {
    for (;;) {
      let r = next();
      if (r === 0x5c) {
        r = next();
        if (r !== EOF && r !== 10) continue;
        return errorf('unterminated quoted string');
      }
      if (r === EOF || r === 10) return errorf('unterminated quoted string');
      if (r === 0x22) break;
    }
    emit(T.String);
    return lexInsideAction;
  };

  const lexRawQuote = (): State => {
    for (;;) {
      const r = next();
      if (r === EOF) return errorf('unterminated raw quoted string');
      if (r === 0x60) break;
    }
    emit(T.RawString);
    return lexInsideAction;
  };

  let state: State = lexText;
  while (state) state = state();
  return items;
}
