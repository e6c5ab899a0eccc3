/**
 * Lexer and parser for Go's text/template, with Go's node positions (for "template: :1:8:" in
 * execution errors) and Go's parse error texts.
 */

export class TemplateError extends Error {}

// ---- tokens -------------------------------------------------------------------------------------

type TokType =
  | 'text' | 'left' | 'right' | 'field' | 'variable' | 'dot' | 'ident' | 'keyword' | 'string' | 'rawString'
  | 'char' | 'number' | 'bool' | 'nil' | 'pipe' | 'lparen' | 'rparen' | 'declare' | 'assign' | 'comma' | 'space' | 'eof';

interface Tok {
  t: TokType;
  v: string;
  pos: number;
  line: number;
}

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'define', 'template', 'block', 'break', 'continue']);

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function isAlnum(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{Nd}_]/u.test(c);
}

/** Split a template into tokens, as Go's lexer does (comments and trim markers handled here). */
export function lex(text: string, name: string): Tok[] {
  const toks: Tok[] = [];
  let pos = 0;
  let line = 1;
  const lineAt = (p: number): number => {
    let n = 1;
    for (let i = 0; i < p; i++) if (text.charCodeAt(i) === 10) n++;
    return n;
  };
  const fail = (msg: string, at: number): never => {
    throw new TemplateError(`template: ${name}:${lineAt(at)}: ${msg}`);
  };
  let trimNext = false;
  while (pos <= text.length) {
    const open = text.indexOf('{{', pos);
    let chunk = open < 0 ? text.slice(pos) : text.slice(pos, open);
    const chunkStart = pos;
    let leftTrim = false;
    if (open >= 0 && text[open + 2] === '-' && isSpace(text[open + 3])) leftTrim = true;
    if (trimNext) chunk = chunk.replace(/^[ \t\r\n]+/, '');
    if (leftTrim) chunk = chunk.replace(/[ \t\r\n]+$/, '');
    trimNext = false;
    if (chunk) toks.push({ t: 'text', v: chunk, pos: chunkStart, line: lineAt(chunkStart) });
    if (open < 0) break;
    pos = open + 2 + (leftTrim ? 2 : 0);
    line = lineAt(open);
    // comment
    if (text.startsWith('/*', pos)) {
      const end = text.indexOf('*/', pos + 2);
      if (end < 0) fail('unclosed comment', open);
      let after = end + 2;
      if (text[after] === ' ' && text[after + 1] === '-' && text.startsWith('}}', after + 2)) {
        trimNext = true;
        after += 2;
      }
      if (!text.startsWith('}}', after)) fail('comment ends before closing delimiter', open);
      pos = after + 2;
      continue;
    }
    toks.push({ t: 'left', v: '{{', pos: open, line });
    let parenDepth = 0;
    for (;;) {
      // right delimiter, possibly with trim marker
      if (isSpace(text[pos]) ) {
        let p = pos;
        while (isSpace(text[p])) p++;
        if (text[p] === '-' && text.startsWith('}}', p + 1)) {
          if (parenDepth > 0) fail('unclosed left paren', pos);
          toks.push({ t: 'right', v: '}}', pos: p, line: lineAt(p) });
          trimNext = true;
          pos = p + 3;
          break;
        }
        toks.push({ t: 'space', v: text.slice(pos, p), pos, line: lineAt(pos) });
        pos = p;
        continue;
      }
      if (text.startsWith('}}', pos)) {
        if (parenDepth > 0) fail('unclosed left paren', pos);
        toks.push({ t: 'right', v: '}}', pos, line: lineAt(pos) });
        pos += 2;
        break;
      }
      const c = text[pos];
      const start = pos;
      const tl = lineAt(pos);
      if (c === undefined) fail('unclosed action', open);
      if (c === '\n') fail('unclosed action', open);
      if (c === '|') {
        toks.push({ t: 'pipe', v: '|', pos, line: tl });
        pos++;
      } else if (c === '(') {
        toks.push({ t: 'lparen', v: '(', pos, line: tl });
        parenDepth++;
        pos++;
      } else if (c === ')') {
        parenDepth--;
        if (parenDepth < 0) fail('unexpected right paren', pos);
        toks.push({ t: 'rparen', v: ')', pos, line: tl });
        pos++;
      } else if (c === ',') {
        toks.push({ t: 'comma', v: ',', pos, line: tl });
        pos++;
      } else if (c === ':') {
        if (text[pos + 1] !== '=') fail('expected :=', pos);
        toks.push({ t: 'declare', v: ':=', pos, line: tl });
        pos += 2;
      } else if (c === '=') {
        toks.push({ t: 'assign', v: '=', pos, line: tl });
        pos++;
      } else if (c === '"') {
        let p = pos + 1;
        for (;;) {
          const d = text[p];
          if (d === '\\') p += 2;
          else if (d === undefined || d === '\n') fail('unterminated quoted string', start);
          else if (d === '"') break;
          else p++;
        }
        toks.push({ t: 'string', v: text.slice(pos, p + 1), pos, line: tl });
        pos = p + 1;
      } else if (c === '`') {
        const end = text.indexOf('`', pos + 1);
        if (end < 0) fail('unterminated raw quoted string', start);
        toks.push({ t: 'rawString', v: text.slice(pos, end + 1), pos, line: tl });
        pos = end + 1;
      } else if (c === "'") {
        let p = pos + 1;
        for (;;) {
          const d = text[p];
          if (d === '\\') p += 2;
          else if (d === undefined || d === '\n') fail('unterminated character constant', start);
          else if (d === "'") break;
          else p++;
        }
        toks.push({ t: 'char', v: text.slice(pos, p + 1), pos, line: tl });
        pos = p + 1;
      } else if (c === '$') {
        let p = pos + 1;
        while (isAlnum(text[p])) p++;
        toks.push({ t: 'variable', v: text.slice(pos, p), pos, line: tl });
        pos = p;
      } else if (c === '.' && !/[0-9]/.test(text[pos + 1] ?? '')) {
        let p = pos + 1;
        while (isAlnum(text[p])) p++;
        toks.push({ t: p === pos + 1 ? 'dot' : 'field', v: text.slice(pos, p), pos, line: tl });
        pos = p;
      } else if (/[0-9+\-.]/.test(c)) {
        const m = /^[+-]?(0[xX][0-9a-fA-F_]*(\.[0-9a-fA-F_]*)?([pP][+-]?[0-9_]+)?|0[bB][01_]+|0[oO][0-7_]+|[0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9_]+)?)i?/.exec(text.slice(pos));
        const num = m ? m[0] : '';
        if (!num || num === '+' || num === '-' || isAlnum(text[pos + num.length])) {
          fail(`bad number syntax: "${text.slice(pos, pos + Math.max(num.length, 1) + (isAlnum(text[pos + num.length]) ? 1 : 0))}"`, pos);
        }
        toks.push({ t: 'number', v: num, pos, line: tl });
        pos += num.length;
      } else if (isAlnum(c)) {
        let p = pos;
        while (isAlnum(text[p])) p++;
        const word = text.slice(pos, p);
        let t: TokType = 'ident';
        if (KEYWORDS.has(word)) t = 'keyword';
        else if (word === 'true' || word === 'false') t = 'bool';
        else if (word === 'nil') t = 'nil';
        toks.push({ t, v: word, pos, line: tl });
        pos = p;
      } else {
        fail(`unexpected ${goQuoteRune(c)} in command`, pos);
      }
    }
  }
  toks.push({ t: 'eof', v: '', pos: text.length, line: lineAt(text.length) });
  return toks;
}

function goQuoteRune(c: string): string {
  const cp = c.codePointAt(0)!;
  return `"${c}"`.replace(/^"(.)"$/, (_m, ch: string) => (cp < 0x20 ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `"${ch}"`));
}

// ---- nodes --------------------------------------------------------------------------------------

export type Node =
  | { k: 'text'; text: string; pos: number }
  | { k: 'action'; pos: number; line: number; pipe: Pipe }
  | { k: 'if' | 'with'; pos: number; line: number; pipe: Pipe; list: Node[]; elseList?: Node[] }
  | { k: 'range'; pos: number; line: number; pipe: Pipe; list: Node[]; elseList?: Node[] }
  | { k: 'template'; pos: number; line: number; name: string; pipe?: Pipe }
  | { k: 'break' | 'continue'; pos: number; line: number };

export interface Pipe {
  pos: number;
  line: number;
  isAssign: boolean;
  decl: string[];
  cmds: Command[];
}

export interface Command {
  pos: number;
  line: number;
  args: Arg[];
}

export type Arg =
  | { k: 'field'; pos: number; line: number; idents: string[] }
  | { k: 'variable'; pos: number; line: number; idents: string[] }
  | { k: 'dot'; pos: number; line: number }
  | { k: 'nil'; pos: number; line: number }
  | { k: 'bool'; pos: number; line: number; value: boolean }
  | { k: 'number'; pos: number; line: number; text: string; isInt: boolean; value: number }
  | { k: 'string'; pos: number; line: number; text: string; value: string }
  | { k: 'ident'; pos: number; line: number; name: string }
  | { k: 'chain'; pos: number; line: number; node: Arg; fields: string[] }
  | { k: 'pipe'; pos: number; line: number; pipe: Pipe };

export function argString(a: Arg): string {
  switch (a.k) {
    case 'field': return '.' + a.idents.join('.');
    case 'variable': return a.idents.join('.');
    case 'dot': return '.';
    case 'nil': return 'nil';
    case 'bool': return String(a.value);
    case 'number': return a.text;
    case 'string': return a.text;
    case 'ident': return a.name;
    case 'chain': return (a.node.k === 'pipe' ? '(' + pipeString(a.node.pipe) + ')' : argString(a.node)) + '.' + a.fields.join('.');
    case 'pipe': return '(' + pipeString(a.pipe) + ')';
  }
}

export function commandString(c: Command): string {
  return c.args.map((a) => (a.k === 'pipe' ? '(' + pipeString(a.pipe) + ')' : argString(a))).join(' ');
}

export function pipeString(p: Pipe): string {
  let s = '';
  if (p.decl.length) s = p.decl.join(', ') + (p.isAssign ? ' = ' : ' := ');
  return s + p.cmds.map(commandString).join(' | ');
}

export function nodeString(n: Node): string {
  switch (n.k) {
    case 'text': return n.text;
    case 'action': return '{{' + pipeString(n.pipe) + '}}';
    case 'template': return `{{template ${JSON.stringify(n.name)}${n.pipe ? ' ' + pipeString(n.pipe) : ''}}}`;
    case 'break': return '{{break}}';
    case 'continue': return '{{continue}}';
    default: {
      let s = `{{${n.k} ${pipeString(n.pipe)}}}` + n.list.map(nodeString).join('');
      if (n.elseList) s += '{{else}}' + n.elseList.map(nodeString).join('');
      return s + '{{end}}';
    }
  }
}

// ---- unquoting ----------------------------------------------------------------------------------

function unquote(q: string): string {
  if (q.startsWith('`')) return q.slice(1, -1);
  const body = q.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case '"': out += '"'; break;
      case "'": out += "'"; break;
      case 'x': out += String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16)); i += 2; break;
      case 'u': out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 5), 16)); i += 4; break;
      case 'U': out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 9), 16)); i += 8; break;
      default:
        if (/[0-7]/.test(e)) {
          out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8));
          i += 2;
        } else throw new Error('invalid syntax');
    }
  }
  return out;
}

function parseNumber(text: string): { isInt: boolean; value: number } {
  const t = text.replace(/_/g, '');
  if (/^[+-]?0[xX][0-9a-fA-F]+$/.test(t)) return { isInt: true, value: parseInt(t.replace(/0[xX]/, ''), 16) * (t.startsWith('-') ? -1 : 1) };
  if (/^[+-]?0[bB][01]+$/.test(t)) return { isInt: true, value: parseInt(t.replace(/^[+-]?0[bB]/, ''), 2) * (t.startsWith('-') ? -1 : 1) };
  if (/^[+-]?0[oO]?[0-7]+$/.test(t) && /^[+-]?0/.test(t) && t.replace(/^[+-]/, '').length > 1) {
    return { isInt: true, value: parseInt(t.replace(/^[+-]?0[oO]?/, ''), 8) * (t.startsWith('-') ? -1 : 1) };
  }
  if (/^[+-]?[0-9]+$/.test(t)) return { isInt: true, value: Number(t) };
  const v = Number(t);
  if (Number.isNaN(v)) throw new Error('bad');
  // a float literal with an integral value is still usable as an int in Go's template (e.g. 1e3)
  return { isInt: false, value: v };
}

// ---- parser -------------------------------------------------------------------------------------

export interface ParsedTemplate {
  root: Node[];
  defines: Map<string, Node[]>;
}

export function parse(text: string, name: string, funcs: Set<string>): ParsedTemplate {
  const toks = lex(text, name);
  let i = 0;
  const defines = new Map<string, Node[]>();
  const vars: string[][] = [['$']];
  let rangeDepth = 0;

  const peek = (): Tok => toks[i];
  const next = (): Tok => toks[i++];
  const skipSpace = (): void => {
    while (toks[i].t === 'space') i++;
  };
  const peekNonSpace = (): Tok => {
    skipSpace();
    return toks[i];
  };
  const nextNonSpace = (): Tok => {
    skipSpace();
    return toks[i++];
  };
  const fail = (msg: string, tok: Tok = toks[Math.max(0, i - 1)]): never => {
    throw new TemplateError(`template: ${name}:${tok.line}: ${msg}`);
  };
  const unexpected = (tok: Tok, context: string): never => {
    if (tok.t === 'eof') fail('unexpected EOF', tok);
    const desc = tok.t === 'right' ? '"}}"' : tok.t === 'string' || tok.t === 'rawString' ? `quoted string ${tok.v}` : `"${tok.v}"`;
    return fail(`unexpected ${desc} in ${context}`, tok);
  };

  const hasVar = (n: string): boolean => vars.some((scope) => scope.includes(n));

  // list until {{end}} / {{else}}; returns the list and what ended it
  function itemList(context: string): { list: Node[]; end: 'end' | 'else'; elseTok?: Tok } {
    const list: Node[] = [];
    for (;;) {
      const t = peek();
      if (t.t === 'eof') fail('unexpected EOF', t);
      if (t.t === 'left') {
        const save = i;
        next();
        const k = peekNonSpace();
        if (k.t === 'keyword' && (k.v === 'end' || k.v === 'else')) {
          next();
          if (k.v === 'end') {
            if (nextNonSpace().t !== 'right') fail(`unexpected ${peek().v} in end`);
            return { list, end: 'end' };
          }
          return { list, end: 'else', elseTok: k };
        }
        i = save;
      }
      list.push(textOrAction(context));
    }
  }

  function textOrAction(context: string): Node {
    const t = next();
    if (t.t === 'text') return { k: 'text', text: t.v, pos: t.pos };
    if (t.t !== 'left') return unexpected(t, context);
    return action();
  }

  function action(): Node {
    const t = peekNonSpace();
    if (t.t === 'keyword') {
      next();
      switch (t.v) {
        case 'if': return control('if', t);
        case 'with': return control('with', t);
        case 'range': return control('range', t);
        case 'template': return templateControl(t);
        case 'block': return blockControl(t);
        case 'define': defineControl(); return { k: 'text', text: '', pos: t.pos };
        case 'break':
        case 'continue':
          if (rangeDepth === 0) fail(`{{${t.v}}} outside {{range}}`, t);
          if (nextNonSpace().t !== 'right') fail(`unexpected ${peek().v} in {{${t.v}}}`);
          return { k: t.v, pos: t.pos, line: t.line };
        case 'end': fail('unexpected {{end}}', t); break;
        case 'else': fail('unexpected {{else}}', t); break;
      }
    }
    const p = pipeline('command', 'right');
    return { k: 'action', pos: p.pos, line: p.line, pipe: p };
  }

  function control(kind: 'if' | 'with' | 'range', kw: Tok): Node {
    vars.push([]);
    const p = pipeline(kind, 'right');
    if (p.cmds.length === 0) fail(`missing value for ${kind}`, kw);
    if (kind === 'range') rangeDepth++;
    let r = itemList(kind);
    if (kind === 'range') rangeDepth--;
    const list = r.list;
    let elseList: Node[] | undefined;
    if (r.end === 'else') {
      const k = peekNonSpace();
      if ((kind === 'if' && k.t === 'keyword' && k.v === 'if') || (kind === 'with' && k.t === 'keyword' && k.v === 'with')) {
        // {{else if ...}} is {{else}}{{if ...}}...{{end}} sharing the outer end
        next();
        const nested = control(kind, k);
        elseList = [nested];
        vars.pop();
        return { k: kind, pos: p.pos, line: p.line, pipe: p, list, elseList };
      }
      if (nextNonSpace().t !== 'right') fail('expected end; found ' + peek().v);
      r = itemList(kind);
      if (r.end === 'else') fail('expected end; found {{else}}', r.elseTok);
      elseList = r.list;
    }
    vars.pop();
    return { k: kind, pos: p.pos, line: p.line, pipe: p, list, elseList };
  }

  function templateName(context: string): Tok {
    const t = nextNonSpace();
    if (t.t !== 'string' && t.t !== 'rawString') unexpected(t, context);
    return t;
  }

  function templateControl(kw: Tok): Node {
    const nameTok = templateName('template clause');
    let pipe: Pipe | undefined;
    if (peekNonSpace().t !== 'right') pipe = pipeline('template clause', 'right');
    else next();
    void kw;
    return { k: 'template', pos: nameTok.pos, line: nameTok.line, name: unquote(nameTok.v), pipe };
  }

  function defineControl(): void {
    const nameTok = templateName('define clause');
    if (nextNonSpace().t !== 'right') fail('unexpected token in define clause');
    const saved = vars.splice(0, vars.length, ['$']);
    const r = itemList('define');
    vars.splice(0, vars.length, ...saved);
    if (r.end !== 'end') fail('unexpected {{else}} in define', r.elseTok);
    defines.set(unquote(nameTok.v), r.list);
  }

  function blockControl(kw: Tok): Node {
    const nameTok = templateName('block clause');
    const pipe = pipeline('block clause', 'right');
    const saved = vars.splice(0, vars.length, ['$']);
    const r = itemList('block');
    vars.splice(0, vars.length, ...saved);
    if (r.end !== 'end') fail('unexpected {{else}} in block', r.elseTok);
    defines.set(unquote(nameTok.v), r.list);
    void kw;
    return { k: 'template', pos: nameTok.pos, line: nameTok.line, name: unquote(nameTok.v), pipe };
  }

  function pipeline(context: string, end: 'right' | 'rparen'): Pipe {
    const start = peekNonSpace();
    const pipe: Pipe = { pos: start.pos, line: start.line, isAssign: false, decl: [], cmds: [] };
    // declarations: $x := / $x = / $i, $e :=
    if (start.t === 'variable') {
      const save = i;
      next();
      const t2 = peekNonSpace();
      if (t2.t === 'declare' || t2.t === 'assign') {
        next();
        pipe.isAssign = t2.t === 'assign';
        pipe.decl.push(start.v);
        if (t2.t === 'declare') vars[vars.length - 1].push(start.v);
      } else if (t2.t === 'comma' && (context === 'range')) {
        next();
        const v2 = nextNonSpace();
        if (v2.t !== 'variable') fail(`range can only initialize variables`, v2);
        const t3 = nextNonSpace();
        if (t3.t !== 'declare' && t3.t !== 'assign') fail(`unexpected "${t3.v}" in range`, t3);
        pipe.isAssign = t3.t === 'assign';
        pipe.decl.push(start.v, v2.v);
        vars[vars.length - 1].push(start.v, v2.v);
      } else {
        i = save;
      }
    }
    for (;;) {
      const t = peekNonSpace();
      if ((end === 'right' && t.t === 'right') || (end === 'rparen' && t.t === 'rparen')) {
        next();
        if (pipe.cmds.length === 0 && pipe.decl.length === 0 && context === 'command') fail('missing value for command', t);
        if (pipe.decl.length && pipe.cmds.length === 0) fail(`missing value for ${context}`, t);
        // a non-final command must be a function or method call target later; checked at run time
        return pipe;
      }
      if (t.t === 'pipe') fail('unexpected "|" in command', t);
      if (t.t === 'eof' || (end === 'right' && t.t === 'rparen') || (end === 'rparen' && t.t === 'right')) {
        if (end === 'rparen') fail('unclosed left paren', t);
        unexpected(t, context === 'command' ? 'operand' : context);
      }
      pipe.cmds.push(command(context));
      if (peekNonSpace().t === 'pipe') next();
    }
  }

  function command(context: string): Command {
    const first = peekNonSpace();
    const cmd: Command = { pos: first.pos, line: first.line, args: [] };
    for (;;) {
      skipSpace();
      const op = operand(context);
      if (op) cmd.args.push(op);
      const t = peek();
      if (t.t === 'space') {
        skipSpace();
        const n = peek();
        if (n.t === 'right' || n.t === 'rparen' || n.t === 'pipe') break;
        continue;
      }
      if (t.t === 'right' || t.t === 'rparen' || t.t === 'pipe' || t.t === 'eof') break;
      unexpected(t, 'operand');
    }
    if (cmd.args.length === 0) fail('empty command', first);
    return cmd;
  }

  function operand(context: string): Arg | undefined {
    let node = term(context);
    if (!node) return undefined;
    if (peek().t === 'field') {
      const fields: string[] = [];
      const pos = peek().pos;
      while (peek().t === 'field') fields.push(next().v.slice(1));
      switch (node.k) {
        case 'field':
          node = { k: 'field', pos, line: node.line, idents: [...node.idents, ...fields] };
          break;
        case 'variable':
          node = { k: 'variable', pos, line: node.line, idents: [...node.idents, ...fields] };
          break;
        case 'bool': case 'string': case 'number': case 'nil': case 'dot':
          fail(`unexpected . after term "${argString(node)}"`);
          break;
        default:
          node = { k: 'chain', pos, line: node.line, node, fields };
      }
    }
    return node;
  }

  function term(context: string): Arg | undefined {
    const t = next();
    switch (t.t) {
      case 'ident':
        if (!funcs.has(t.v)) fail(`function "${t.v}" not defined`, t);
        return { k: 'ident', pos: t.pos, line: t.line, name: t.v };
      case 'dot': return { k: 'dot', pos: t.pos, line: t.line };
      case 'nil': return { k: 'nil', pos: t.pos, line: t.line };
      case 'variable':
        if (!hasVar(t.v)) fail(`undefined variable "${t.v}"`, t);
        return { k: 'variable', pos: t.pos, line: t.line, idents: [t.v] };
      case 'field': return { k: 'field', pos: t.pos, line: t.line, idents: [t.v.slice(1)] };
      case 'bool': return { k: 'bool', pos: t.pos, line: t.line, value: t.v === 'true' };
      case 'char': {
        const s = unquote('"' + t.v.slice(1, -1).replace(/"/g, '\\"') + '"');
        return { k: 'number', pos: t.pos, line: t.line, text: t.v, isInt: true, value: s.codePointAt(0) ?? 0 };
      }
      case 'number': {
        let n;
        try {
          n = parseNumber(t.v);
        } catch {
          return fail(`illegal number syntax: "${t.v}"`, t);
        }
        return { k: 'number', pos: t.pos, line: t.line, text: t.v, ...n };
      }
      case 'string':
      case 'rawString': {
        let value: string;
        try {
          value = unquote(t.v);
        } catch {
          return fail('invalid syntax', t);
        }
        return { k: 'string', pos: t.pos, line: t.line, text: t.v, value };
      }
      case 'lparen': {
        const p = pipeline(context, 'rparen');
        return { k: 'pipe', pos: t.pos, line: t.line, pipe: p };
      }
      default:
        i--;
        return unexpected(t, 'operand');
    }
  }

  const root: Node[] = [];
  while (peek().t !== 'eof') {
    const t = peek();
    if (t.t === 'text') {
      next();
      root.push({ k: 'text', text: t.v, pos: t.pos });
      continue;
    }
    next(); // left
    const k = peekNonSpace();
    if (k.t === 'keyword' && k.v === 'end') fail('unexpected {{end}}', k);
    if (k.t === 'keyword' && k.v === 'else') fail('unexpected {{else}}', k);
    root.push(action());
  }
  return { root, defines };
}
