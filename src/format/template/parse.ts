/**
 * The parser of Go's text/template (text/template/parse/parse.go and node.go): the same grammar,
 * the same node positions (byte offsets, used for "template: :1:8:" in execution errors), the same
 * String() forms of nodes (the "at <...>" context) and the same parse error texts.
 */
import { itemString, lex, T, type Item } from './lexer.js';

export class TemplateError extends Error {
  override name = 'TemplateError';
  /** for execution errors: what the template had written before it failed (Go writes as it goes) */
  partial = '';
}

// ---- nodes --------------------------------------------------------------------------------------

export interface TextNode { k: 'text'; pos: number; text: string }
export interface ActionNode { k: 'action'; pos: number; line: number; pipe: PipeNode }
export interface BranchNode { k: 'if' | 'with' | 'range'; pos: number; line: number; pipe: PipeNode; list: ListNode; elseList?: ListNode }
export interface TemplateNode { k: 'template'; pos: number; line: number; name: string; pipe?: PipeNode }
export interface LoopNode { k: 'break' | 'continue'; pos: number; line: number }
interface EndNode { k: 'end'; pos: number }
interface ElseNode { k: 'else'; pos: number; line: number }

export type Node = TextNode | ActionNode | BranchNode | TemplateNode | LoopNode;
export interface ListNode { k: 'list'; pos: number; nodes: Node[] }

export interface PipeNode { k: 'pipe'; pos: number; line: number; isAssign: boolean; decl: VariableNode[]; cmds: CommandNode[] }
export interface CommandNode { k: 'command'; pos: number; args: Arg[] }
export interface FieldNode { k: 'field'; pos: number; idents: string[] }
export interface VariableNode { k: 'variable'; pos: number; idents: string[] }
export interface DotNode { k: 'dot'; pos: number }
export interface NilNode { k: 'nil'; pos: number }
export interface BoolNode { k: 'bool'; pos: number; value: boolean }
export interface NumberNode {
  k: 'number';
  pos: number;
  text: string;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  isComplex: boolean;
  int: number;
  uint: number;
  float: number;
}
export interface StringNode { k: 'string'; pos: number; quoted: string; text: string }
export interface IdentifierNode { k: 'identifier'; pos: number; name: string }
export interface ChainNode { k: 'chain'; pos: number; node: Arg; fields: string[] }
export type Arg = FieldNode | VariableNode | DotNode | NilNode | BoolNode | NumberNode | StringNode | IdentifierNode | ChainNode | PipeNode;

export type AnyNode = Node | ListNode | Arg | CommandNode;

/** node.String() as Go writes it. */
export function nodeString(n: AnyNode | EndNode | ElseNode): string {
  switch (n.k) {
    case 'text': return n.text;
    case 'action': return '{{' + nodeString(n.pipe) + '}}';
    case 'if':
    case 'with':
    case 'range': {
      let s = `{{${n.k} ${nodeString(n.pipe)}}}` + nodeString(n.list);
      if (n.elseList) s += '{{else}}' + nodeString(n.elseList);
      return s + '{{end}}';
    }
    case 'template': return `{{template ${JSON.stringify(n.name)}${n.pipe ? ' ' + nodeString(n.pipe) : ''}}}`;
    case 'break': return '{{break}}';
    case 'continue': return '{{continue}}';
    case 'end': return '{{end}}';
    case 'else': return '{{else}}';
    case 'list': return n.nodes.map(nodeString).join('');
    case 'pipe': {
      let s = '';
      if (n.decl.length) s = n.decl.map(nodeString).join(', ') + ' := ';
      return s + n.cmds.map(nodeString).join(' | ');
    }
    case 'command': return n.args.map((a) => (a.k === 'pipe' ? '(' + nodeString(a) + ')' : nodeString(a))).join(' ');
    case 'field': return '.' + n.idents.join('.');
    case 'variable': return n.idents.join('.');
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'bool': return n.value ? 'true' : 'false';
    case 'number': return n.text;
    case 'string': return n.quoted;
    case 'identifier': return n.name;
    case 'chain': return (n.node.k === 'pipe' ? '(' + nodeString(n.node) + ')' : nodeString(n.node)) + '.' + n.fields.join('.');
  }
}

// ---- literals -----------------------------------------------------------------------------------

class SyntaxError_ extends Error {}

function hexVal(s: string): number {
  return /^[0-9a-fA-F]+$/.test(s) ? parseInt(s, 16) : NaN;
}

/** strconv.UnquoteChar: one (possibly escaped) character at s[i]; returns it and the next index. */
function unquoteChar(s: string, i: number, quote: string): [string, number] {
  const c = s[i];
  if (c === quote && (quote === "'" || quote === '"')) throw new SyntaxError_();
  if (c !== '\\') {
    const cp = s.codePointAt(i)!;
    return [String.fromCodePoint(cp), i + (cp > 0xffff ? 2 : 1)];
  }
  const e = s[i + 1];
  if (e === undefined) throw new SyntaxError_();
  i += 2;
  switch (e) {
    case 'a': return ['\x07', i];
    case 'b': return ['\b', i];
    case 'f': return ['\f', i];
    case 'n': return ['\n', i];
    case 'r': return ['\r', i];
    case 't': return ['\t', i];
    case 'v': return ['\v', i];
    case '\\': return ['\\', i];
    case "'":
    case '"':
      if (e !== quote) throw new SyntaxError_();
      return [e, i];
    case 'x':
    case 'u':
    case 'U': {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const v = hexVal(s.slice(i, i + n));
      if (s.length < i + n || Number.isNaN(v)) throw new SyntaxError_();
      if (e === 'x') return [String.fromCharCode(v), i + n];
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new SyntaxError_();
      return [String.fromCodePoint(v), i + n];
    }
    default:
      if (e >= '0' && e <= '7') {
        const o = s.slice(i - 1, i + 2);
        if (!/^[0-7]{3}$/.test(o)) throw new SyntaxError_();
        const v = parseInt(o, 8);
        if (v > 255) throw new SyntaxError_();
        return [String.fromCharCode(v), i + 2];
      }
      throw new SyntaxError_();
  }
}

/** strconv.Unquote for "..." and `...` literals. */
function unquote(q: string): string {
  if (q.length < 2) throw new SyntaxError_();
  if (q[0] === '`') {
    if (q[q.length - 1] !== '`') throw new SyntaxError_();
    return q.slice(1, -1).replace(/\r/g, '');
  }
  if (q[0] !== '"' || q[q.length - 1] !== '"') throw new SyntaxError_();
  const body = q.slice(1, -1);
  let out = '';
  let i = 0;
  while (i < body.length) {
    const [c, ni] = unquoteChar(body, i, '"');
    out += c;
    i = ni;
  }
  return out;
}

const MAX_INT64 = 2n ** 63n - 1n;
const MIN_INT64 = -(2n ** 63n);
const MAX_UINT64 = 2n ** 64n - 1n;

/** strconv.ParseInt/ParseUint with base 0: BigInt or undefined. */
function parseGoInt(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  let base = 10;
  let prefixed = false;
  if (/^0[xX]/.test(s)) {
    base = 16;
    s = s.slice(2);
    prefixed = true;
  } else if (/^0[bB]/.test(s)) {
    base = 2;
    s = s.slice(2);
    prefixed = true;
  } else if (/^0[oO]/.test(s)) {
    base = 8;
    s = s.slice(2);
    prefixed = true;
  } else if (/^0./.test(s)) {
    base = 8;
    s = s.slice(1);
    prefixed = true;
  }
  if (s.includes('_')) {
    // underscores only between digits (or after a base prefix), only with base 0 prefixes or plain decimals
    if (!/^_?[0-9a-fA-F]+(_[0-9a-fA-F]+)*$/.test(s) || (!prefixed && s.startsWith('_'))) return undefined;
    s = s.replace(/_/g, '');
  }
  const digits = base === 16 ? /^[0-9a-fA-F]+$/ : base === 8 ? /^[0-7]+$/ : base === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!digits.test(s)) return undefined;
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
  const v = BigInt(prefix + s);
  return neg ? -v : v;
}

function parseGoFloat(text: string): number | undefined {
  let s = text.replace(/_/g, '');
  if (/^[+-]?0[xX]/.test(s)) {
    const m = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(s);
    if (!m || (m[2] + (m[3] ?? '')).length === 0) return undefined;
    const mant = parseInt((m[2] || '0') + (m[3] ?? ''), 16) / 16 ** (m[3] ?? '').length;
    const v = mant * 2 ** Number(m[4]);
    return m[1] === '-' ? -v : v;
  }
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) {
    if (/^[+-]?(inf|infinity|nan)$/i.test(s)) return undefined;
    return undefined;
  }
  s = s.replace(/^\+/, '');
  return Number(s);
}

function newNumber(pos: number, text: string, isChar: boolean): NumberNode {
  const n: NumberNode = { k: 'number', pos, text, isInt: false, isUint: false, isFloat: false, isComplex: false, int: 0, uint: 0, float: 0 };
  if (isChar) {
    let r: string;
    let next: number;
    try {
      [r, next] = unquoteChar(text, 1, "'");
    } catch {
      throw new Error('invalid syntax');
    }
    if (text.slice(next) !== "'") throw new Error(`malformed character constant: ${text}`);
    const cp = r.codePointAt(0)!;
    n.isInt = n.isUint = n.isFloat = true;
    n.int = n.uint = n.float = cp;
    return n;
  }
  if (text.endsWith('i')) {
    n.isComplex = true;
    throw new Error(`complex constants are not supported: ${text}`);
  }
  const i = parseGoInt(text);
  if (i !== undefined) {
    if (i >= 0n && i <= MAX_UINT64) {
      n.isUint = true;
      n.uint = Number(i);
    }
    if (i >= MIN_INT64 && i <= MAX_INT64) {
      n.isInt = true;
      n.int = Number(i);
      if (i === 0n) n.isUint = true;
    }
  }
  if (n.isInt) {
    n.isFloat = true;
    n.float = n.int;
  } else if (n.isUint) {
    n.isFloat = true;
    n.float = n.uint;
  } else {
    const f = parseGoFloat(text);
    if (f !== undefined && Number.isFinite(f)) {
      if (!/[.eEpP]/.test(text)) throw new Error(`integer overflow: ${JSON.stringify(text)}`);
      n.isFloat = true;
      n.float = f;
      if (Number.isInteger(f) && f >= -(2 ** 63) && f < 2 ** 63) {
        n.isInt = true;
        n.int = f;
      }
      if (Number.isInteger(f) && f >= 0 && f < 2 ** 64) {
        n.isUint = true;
        n.uint = f;
      }
    }
  }
  if (!n.isInt && !n.isUint && !n.isFloat) throw new Error(`illegal number syntax: "${text}"`);
  return n;
}

// ---- the parser ---------------------------------------------------------------------------------

export interface ParsedTemplate {
  /** name -> root list; the main template under its own name */
  trees: Map<string, ListNode>;
  name: string;
  text: string;
}

class Stream {
  i = 0;
  constructor(readonly items: Item[]) {}
  nextItem(): Item {
    const it = this.items[this.i];
    if (this.i < this.items.length - 1) this.i++;
    return it;
  }
}

class Tree {
  token: Item[] = [];
  peekCount = 0;
  vars: string[] = ['$'];
  rangeDepth = 0;
  actionLine = 0;
  root: ListNode | undefined;

  constructor(
    public name: string,
    readonly parseName: string,
    readonly lex: Stream,
    readonly funcs: Set<string>,
    readonly trees: Map<string, ListNode>,
  ) {}

  next(): Item {
    if (this.peekCount > 0) this.peekCount--;
    else this.token[0] = this.lex.nextItem();
    return this.token[this.peekCount];
  }
  backup(): void {
    this.peekCount++;
  }
  backup2(t1: Item): void {
    this.token[1] = t1;
    this.peekCount = 2;
  }
  backup3(t2: Item, t1: Item): void {
    this.token[1] = t1;
    this.token[2] = t2;
    this.peekCount = 3;
  }
  peek(): Item {
    if (this.peekCount > 0) return this.token[this.peekCount - 1];
    this.peekCount = 1;
    this.token[0] = this.lex.nextItem();
    return this.token[0];
  }
  nextNonSpace(): Item {
    let t: Item;
    do t = this.next();
    while (t.typ === T.Space);
    return t;
  }
  peekNonSpace(): Item {
    const t = this.nextNonSpace();
    this.backup();
    return t;
  }

  errorf(msg: string): never {
    throw new TemplateError(`template: ${this.parseName}:${this.token[0].line}: ${msg}`);
  }
  expect(typ: T, context: string): Item {
    const t = this.nextNonSpace();
    if (t.typ !== typ) this.unexpected(t, context);
    return t;
  }
  unexpected(t: Item, context: string): never {
    if (t.typ === T.Error) {
      let extra = '';
      if (this.actionLine !== 0 && this.actionLine !== t.line) {
        extra = ` in action started at ${this.parseName}:${this.actionLine}`;
        if (t.val.endsWith(' action')) extra = extra.slice(' in action'.length);
      }
      this.errorf(t.val + extra);
    }
    this.errorf(`unexpected ${itemString(t)} in ${context}`);
  }

  add(): void {
    const existing = this.trees.get(this.name);
    const root = this.root!;
    if (!existing || isEmptyTree(existing)) {
      this.trees.set(this.name, root);
      return;
    }
    if (!isEmptyTree(root)) this.errorf(`template: multiple definition of template ${JSON.stringify(this.name)}`);
  }

  parse(): void {
    this.root = { k: 'list', pos: this.peek().pos, nodes: [] };
    while (this.peek().typ !== T.EOF) {
      if (this.peek().typ === T.LeftDelim) {
        const delim = this.next();
        if (this.nextNonSpace().typ === T.Define) {
          const nt = new Tree('definition', this.parseName, this.lex, this.funcs, this.trees);
          nt.parseDefinition();
          continue;
        }
        this.backup2(delim);
      }
      const n = this.textOrAction();
      if (n.k === 'end' || n.k === 'else') this.errorf(`unexpected ${nodeString(n)}`);
      this.root.nodes.push(n);
    }
  }

  parseDefinition(): void {
    const context = 'define clause';
    const name = this.nextNonSpace();
    if (name.typ !== T.String && name.typ !== T.RawString) this.unexpected(name, context);
    this.name = this.unquoteItem(name);
    this.expect(T.RightDelim, context);
    const [list, end] = this.itemList();
    this.root = list;
    if (end.k !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    this.add();
  }

  unquoteItem(t: Item): string {
    try {
      return unquote(t.val);
    } catch {
      return this.errorf('invalid syntax');
    }
  }

  itemList(): [ListNode, EndNode | ElseNode] {
    const list: ListNode = { k: 'list', pos: this.peekNonSpace().pos, nodes: [] };
    while (this.peekNonSpace().typ !== T.EOF) {
      const n = this.textOrAction();
      if (n.k === 'end' || n.k === 'else') return [list, n];
      list.nodes.push(n);
    }
    return this.errorf('unexpected EOF');
  }

  textOrAction(): Node | EndNode | ElseNode {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case T.Text:
        return { k: 'text', pos: t.pos, text: t.val };
      case T.LeftDelim: {
        this.actionLine = t.line;
        try {
          return this.action();
        } finally {
          this.actionLine = 0;
        }
      }
      default:
        return this.unexpected(t, 'input');
    }
  }

  action(): Node | EndNode | ElseNode {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case T.Block: return this.blockControl();
      case T.Break: return this.loopControl('break', t);
      case T.Continue: return this.loopControl('continue', t);
      case T.Else: return this.elseControl();
      case T.End: return { k: 'end', pos: this.expect(T.RightDelim, 'end').pos };
      case T.If: return this.control('if');
      case T.Range: return this.control('range');
      case T.Template: return this.templateControl();
      case T.With: return this.control('with');
    }
    this.backup();
    const tok = this.peek();
    return { k: 'action', pos: tok.pos, line: tok.line, pipe: this.pipeline('command', T.RightDelim) };
  }

  loopControl(kind: 'break' | 'continue', t: Item): LoopNode {
    const tok = this.nextNonSpace();
    if (tok.typ !== T.RightDelim) this.unexpected(tok, `{{${kind}}}`);
    if (this.rangeDepth === 0) this.errorf(`{{${kind}}} outside {{range}}`);
    return { k: kind, pos: t.pos, line: t.line };
  }

  elseControl(): ElseNode {
    const p = this.peekNonSpace();
    if (p.typ === T.If || p.typ === T.With) return { k: 'else', pos: p.pos, line: p.line };
    const t = this.expect(T.RightDelim, 'else');
    return { k: 'else', pos: t.pos, line: t.line };
  }

  control(context: 'if' | 'with' | 'range'): BranchNode {
    const mark = this.vars.length;
    const pipe = this.pipeline(context, T.RightDelim);
    if (context === 'range') this.rangeDepth++;
    const [list, firstEnd] = this.itemList();
    let next = firstEnd;
    if (context === 'range') this.rangeDepth--;
    let elseList: ListNode | undefined;
    if (next.k === 'else') {
      if (context === 'if' && this.peek().typ === T.If) {
        this.next();
        elseList = { k: 'list', pos: next.pos, nodes: [this.control('if')] };
      } else if (context === 'with' && this.peek().typ === T.With) {
        this.next();
        elseList = { k: 'list', pos: next.pos, nodes: [this.control('with')] };
      } else {
        [elseList, next] = this.itemList();
        if (next.k !== 'end') this.errorf(`expected end; found ${nodeString(next)}`);
      }
    }
    this.vars.length = mark;
    return { k: context, pos: pipe.pos, line: pipe.line, pipe, list, elseList };
  }

  templateName(t: Item, context: string): string {
    if (t.typ === T.String || t.typ === T.RawString) return this.unquoteItem(t);
    return this.unexpected(t, context);
  }

  blockControl(): TemplateNode {
    const context = 'block clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    const pipe = this.pipeline(context, T.RightDelim);
    const block = new Tree(name, this.parseName, this.lex, this.funcs, this.trees);
    const [list, end] = block.itemList();
    block.root = list;
    if (end.k !== 'end') this.errorf(`unexpected ${nodeString(end)} in ${context}`);
    block.add();
    return { k: 'template', pos: t.pos, line: t.line, name, pipe };
  }

  templateControl(): TemplateNode {
    const context = 'template clause';
    const t = this.nextNonSpace();
    const name = this.templateName(t, context);
    let pipe: PipeNode | undefined;
    if (this.nextNonSpace().typ !== T.RightDelim) {
      this.backup();
      pipe = this.pipeline(context, T.RightDelim);
    }
    return { k: 'template', pos: t.pos, line: t.line, name, pipe };
  }

  pipeline(context: string, end: T): PipeNode {
    const tok = this.peekNonSpace();
    const pipe: PipeNode = { k: 'pipe', pos: tok.pos, line: tok.line, isAssign: false, decl: [], cmds: [] };
    decls: for (;;) {
      const v = this.peekNonSpace();
      if (v.typ !== T.Variable) break;
      this.next();
      const after = this.peek();
      const next = this.peekNonSpace();
      if (next.typ === T.Assign || next.typ === T.Declare) {
        pipe.isAssign = next.typ === T.Assign;
        this.nextNonSpace();
        pipe.decl.push({ k: 'variable', pos: v.pos, idents: v.val.split('.') });
        this.vars.push(v.val);
      } else if (next.typ === T.Char && next.val === ',') {
        this.nextNonSpace();
        pipe.decl.push({ k: 'variable', pos: v.pos, idents: v.val.split('.') });
        this.vars.push(v.val);
        if (context === 'range' && pipe.decl.length < 2) {
          const p = this.peekNonSpace().typ;
          if (p === T.Variable || p === T.RightDelim || p === T.RightParen) continue decls;
          this.errorf('range can only initialize variables');
        }
        this.errorf(`too many declarations in ${context}`);
      } else if (after.typ === T.Space) {
        this.backup3(v, after);
      } else {
        this.backup2(v);
      }
      break;
    }
    for (;;) {
      const t = this.nextNonSpace();
      if (t.typ === end) {
        this.checkPipeline(pipe, context);
        return pipe;
      }
      switch (t.typ) {
        case T.Bool: case T.CharConstant: case T.Dot: case T.Field: case T.Identifier: case T.Number:
        case T.Nil: case T.RawString: case T.String: case T.Variable: case T.LeftParen:
          this.backup();
          pipe.cmds.push(this.command());
          break;
        default:
          this.unexpected(t, context);
      }
    }
  }

  checkPipeline(pipe: PipeNode, context: string): void {
    if (pipe.cmds.length === 0) this.errorf(`missing value for ${context}`);
    pipe.cmds.slice(1).forEach((c, i) => {
      switch (c.args[0].k) {
        case 'bool': case 'dot': case 'nil': case 'number': case 'string':
          this.errorf(`non executable command in pipeline stage ${i + 2}`);
      }
    });
  }

  command(): CommandNode {
    const cmd: CommandNode = { k: 'command', pos: this.peekNonSpace().pos, args: [] };
    for (;;) {
      this.peekNonSpace();
      const op = this.operand();
      if (op) cmd.args.push(op);
      const t = this.next();
      if (t.typ === T.Space) continue;
      if (t.typ === T.RightDelim || t.typ === T.RightParen) this.backup();
      else if (t.typ !== T.Pipe) this.unexpected(t, 'operand');
      break;
    }
    if (cmd.args.length === 0) this.errorf('empty command');
    return cmd;
  }

  operand(): Arg | undefined {
    let node = this.term();
    if (!node) return undefined;
    if (this.peek().typ === T.Field) {
      const pos = this.peek().pos;
      const fields: string[] = [];
      while (this.peek().typ === T.Field) fields.push(this.next().val.slice(1));
      switch (node.k) {
        case 'field':
          node = { k: 'field', pos, idents: [...node.idents, ...fields] };
          break;
        case 'variable':
          node = { k: 'variable', pos, idents: [...node.idents, ...fields] };
          break;
        case 'bool': case 'string': case 'number': case 'nil': case 'dot':
          this.errorf(`unexpected . after term ${JSON.stringify(nodeString(node))}`);
          break;
        default:
          node = { k: 'chain', pos, node, fields };
      }
    }
    return node;
  }

  term(): Arg | undefined {
    const t = this.nextNonSpace();
    switch (t.typ) {
      case T.Identifier:
        if (!this.funcs.has(t.val)) this.errorf(`function ${JSON.stringify(t.val)} not defined`);
        return { k: 'identifier', pos: t.pos, name: t.val };
      case T.Dot: return { k: 'dot', pos: t.pos };
      case T.Nil: return { k: 'nil', pos: t.pos };
      case T.Variable: {
        const v: VariableNode = { k: 'variable', pos: t.pos, idents: t.val.split('.') };
        if (!this.vars.includes(v.idents[0])) this.errorf(`undefined variable ${JSON.stringify(v.idents[0])}`);
        return v;
      }
      case T.Field: return { k: 'field', pos: t.pos, idents: t.val.slice(1).split('.') };
      case T.Bool: return { k: 'bool', pos: t.pos, value: t.val === 'true' };
      case T.CharConstant:
      case T.Number:
        try {
          return newNumber(t.pos, t.val, t.typ === T.CharConstant);
        } catch (e) {
          return this.errorf((e as Error).message);
        }
      case T.LeftParen:
        return this.pipeline('parenthesized pipeline', T.RightParen);
      case T.String:
      case T.RawString:
        return { k: 'string', pos: t.pos, quoted: t.val, text: this.unquoteItem(t) };
    }
    this.backup();
    return undefined;
  }
}

function isEmptyTree(n: ListNode): boolean {
  return n.nodes.every((x) => x.k === 'text' && x.text.trim() === '');
}

/** Parse a template (and its {{define}}s) as template.New(name).Funcs(funcs).Parse(text). */
export function parse(text: string, name: string, funcs: Set<string>): ParsedTemplate {
  const items = lex(text, { breakOK: !funcs.has('break'), continueOK: !funcs.has('continue') });
  const trees = new Map<string, ListNode>();
  const t = new Tree(name, name, new Stream(items), funcs, trees);
  t.parse();
  t.add();
  return { trees, name, text };
}
