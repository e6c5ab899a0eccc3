/**
 * Execution of parsed templates with Go's text/template semantics: field and method lookup, map
 * access (missingkey option), truth, range/with/if scoping, break/continue, and Go's error texts
 * ("template: :1:8: executing "" at <.State.Nope>: map has no entry for key "Nope"").
 */
import { argString, commandString, pipeString, TemplateError, type Arg, type Command, type Node, type Pipe, type ParsedTemplate } from './parse.js';
import { GoFloat, GoFunc, GoInt, GoMap, GoNil, GoSlice, GoStruct, type GoMethod, type GoValue } from './values.js';
import { isPlainObject, marshal, NO_VALUE, printValue, sprint, sprintf, sprintln, typeName, formatV, type Value } from './gofmt.js';

/** A function callable from templates. Lazy functions (and/or) get thunks. */
export interface TemplateFunc {
  fn: (...args: Value[]) => Value;
  lazy?: boolean;
}

class ExecError extends Error {}
class BreakSignal {}
class ContinueSignal {}

export function isTrue(v: Value): boolean {
  if (v === NO_VALUE || v === null || v === undefined) return false;
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

// ---- comparison ---------------------------------------------------------------------------------

type Basic = { kind: 'bool' | 'int' | 'uint' | 'float' | 'string'; v: number | string | boolean };

function basic(v: Value): Basic | undefined {
  if (typeof v === 'boolean') return { kind: 'bool', v };
  if (typeof v === 'string') return { kind: 'string', v };
  if (typeof v === 'number') return { kind: 'float', v };
  if (v instanceof GoFloat) return { kind: 'float', v: v.value };
  if (v instanceof GoInt) return { kind: v.type.startsWith('uint') || v.type === 'byte' || v.type === 'uintptr' ? 'uint' : 'int', v: v.value };
  return undefined;
}

function eqPair(a: Value, b: Value): boolean {
  const x = basic(a);
  const y = basic(b);
  if (x && y) {
    if (x.kind !== y.kind) {
      if ((x.kind === 'int' && y.kind === 'uint') || (x.kind === 'uint' && y.kind === 'int')) return x.v === y.v;
      throw new Error('incompatible types for comparison');
    }
    return x.v === y.v;
  }
  const nilish = (v: Value): boolean => v === null || v === undefined || v instanceof GoNil;
  if (nilish(a) && nilish(b)) return true;
  if (nilish(a) || nilish(b)) {
    if (x || y) throw new Error('incompatible types for comparison');
    return false;
  }
  if (x || y) throw new Error('incompatible types for comparison');
  throw new Error(`non-comparable type ${formatV(a)}: ${typeName(a)}`);
}

function lessThan(a: Value, b: Value): boolean {
  const x = basic(a);
  const y = basic(b);
  if (!x) throw new Error('invalid type for comparison');
  if (!y) throw new Error('invalid type for comparison');
  if (x.kind === 'bool' || y.kind === 'bool') throw new Error('invalid type for comparison');
  if (x.kind !== y.kind) {
    if ((x.kind === 'int' && y.kind === 'uint') || (x.kind === 'uint' && y.kind === 'int')) return (x.v as number) < (y.v as number);
    throw new Error('incompatible types for comparison');
  }
  return x.v < y.v;
}

// ---- builtin functions --------------------------------------------------------------------------

function lengthOf(v: Value): number {
  if (typeof v === 'string') return Buffer.byteLength(v, 'utf8');
  if (Array.isArray(v)) return v.length;
  if (v instanceof GoSlice) return v.items.length;
  if (v instanceof GoMap) return Object.keys(v.entries).length;
  if (v instanceof GoNil && (v.kind === 'slice' || v.kind === 'map')) return 0;
  if (isPlainObject(v)) return Object.keys(v).length;
  throw new Error(`len of type ${typeName(v)}`);
}

function toIndex(v: Value): number {
  if (v instanceof GoInt) return v.value;
  throw new Error(`cannot index slice/array with type ${typeName(v)}`);
}

function indexOne(item: Value, idx: Value): Value {
  if (typeof item === 'string') {
    const b = Buffer.from(item, 'utf8');
    const n = toIndex(idx);
    if (n < 0 || n >= b.length) throw new Error(`index out of range: ${n}`);
    return new GoInt(b[n], 'uint8');
  }
  const items = Array.isArray(item) ? item : item instanceof GoSlice ? item.items : undefined;
  if (items) {
    const n = toIndex(idx);
    if (n < 0 || n >= items.length) throw new Error(`index out of range: ${n}`);
    return items[n];
  }
  if (item instanceof GoNil && item.kind === 'slice') throw new Error(`index out of range: ${toIndex(idx)}`);
  if (item instanceof GoMap || isPlainObject(item)) {
    if (typeof idx !== 'string') throw new Error(`value has type ${typeName(idx)}; should be string`);
    const m = item instanceof GoMap ? item.entries : item;
    if (Object.prototype.hasOwnProperty.call(m, idx)) return m[idx];
    if (item instanceof GoMap && /^map\[[^\]]*\]string$/.test(item.type)) return '';
    return null;
  }
  if (item instanceof GoNil && item.kind === 'map') return /\]string$/.test(item.type) ? '' : null;
  if (item === null || item === undefined) throw new Error('index of untyped nil');
  throw new Error(`can't index item of type ${typeName(item)}`);
}

function htmlEscape(s: string): string {
  return s.replace(/[&'<>"\0]/g, (c) => ({ '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;', '"': '&#34;', '\0': '\uFFFD' })[c]!);
}

function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    switch (ch) {
      case '\\': out += '\\\\'; break;
      case "'": out += "\\'"; break;
      case '"': out += '\\"'; break;
      case '<': out += '\\u003C'; break;
      case '>': out += '\\u003E'; break;
      case '&': out += '\\u0026'; break;
      case '=': out += '\\u003D'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\t': out += '\\t'; break;
      default:
        out += c < 0x20 ? '\\u' + c.toString(16).toUpperCase().padStart(4, '0') : ch;
    }
  }
  return out;
}

function queryEscape(s: string): string {
  return encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()).replace(/~/g, '~');
}

/** Evaluate args as Go's fmt does for print-like builtins. */
function evalArgsString(args: Value[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args);
}

function strArg(v: Value, fn: string): string {
  if (typeof v === 'string') return v;
  throw new Error(`wrong type for value; expected string; got ${typeName(v)}`.replace(/^/, fn ? '' : ''));
}

function intArg(v: Value): number {
  if (v instanceof GoInt) return v.value;
  throw new Error(`wrong type for value; expected int; got ${typeName(v)}`);
}

function stringsOf(v: Value): string[] {
  const items = Array.isArray(v) ? v : v instanceof GoSlice ? v.items : v instanceof GoNil ? [] : undefined;
  if (!items) throw new Error(`wrong type for value; expected []string; got ${typeName(v)}`);
  return items.map((x) => (typeof x === 'string' ? x : formatV(x)));
}

function titleCase(s: string): string {
  let prevLetter = false;
  let out = '';
  for (const ch of s) {
    const letter = /[\p{L}\p{N}_']/u.test(ch);
    out += letter && !prevLetter ? ch.toUpperCase() : ch;
    prevLetter = letter;
  }
  return out;
}

export const BUILTINS: Record<string, TemplateFunc> = {
  and: { lazy: true, fn: () => null },
  or: { lazy: true, fn: () => null },
  not: { fn: (a) => !isTrue(a) },
  len: { fn: (a) => new GoInt(lengthOf(a)) },
  index: {
    fn: (item, ...idx) => {
      let v = item;
      for (const i of idx) v = indexOne(v, i);
      return v;
    },
  },
  slice: {
    fn: (item, ...idx) => {
      if (idx.length > 3) throw new Error(`too many slice indexes: ${idx.length}`);
      const ns = idx.map(toIndex);
      if (typeof item === 'string') {
        if (idx.length === 3) throw new Error('cannot 3-index slice a string');
        const b = Buffer.from(item, 'utf8');
        const lo = ns[0] ?? 0;
        const hi = ns[1] ?? b.length;
        if (lo < 0 || hi > b.length || lo > hi) throw new Error(`index out of range: ${hi > b.length ? hi : lo}`);
        return b.subarray(lo, hi).toString('utf8');
      }
      const items = Array.isArray(item) ? item : item instanceof GoSlice ? item.items : undefined;
      if (!items) throw new Error(`can't slice item of type ${typeName(item)}`);
      const lo = ns[0] ?? 0;
      const hi = ns[1] ?? items.length;
      if (lo < 0 || hi > items.length || lo > hi) throw new Error(`index out of range: ${hi > items.length ? hi : lo}`);
      const out = items.slice(lo, hi);
      return item instanceof GoSlice ? new GoSlice(out, item.type) : out;
    },
  },
  print: { fn: (...a) => sprint(a) },
  printf: { fn: (f, ...a) => sprintf(strArg(f, 'printf'), a) },
  println: { fn: (...a) => sprintln(a) },
  html: { fn: (...a) => htmlEscape(evalArgsString(a)) },
  js: { fn: (...a) => jsEscape(evalArgsString(a)) },
  urlquery: { fn: (...a) => queryEscape(evalArgsString(a)) },
  call: {
    fn: (f, ...a) => {
      if (f instanceof GoFunc) return f.fn(...(a as GoValue[]));
      if (f === null || f === undefined) throw new Error('call of nil');
      throw new Error(`non-function ${formatV(f)} of type ${typeName(f)}`);
    },
  },
  eq: {
    fn: (a, ...rest) => {
      if (rest.length === 0) throw new Error('missing argument for comparison');
      return rest.some((b) => eqPair(a, b));
    },
  },
  ne: { fn: (a, b) => !eqPair(a, b) },
  lt: { fn: (a, b) => lessThan(a, b) },
  le: { fn: (a, b) => lessThan(a, b) || eqPair(a, b) },
  gt: { fn: (a, b) => !lessThan(a, b) && !eqPair(a, b) },
  ge: { fn: (a, b) => !lessThan(a, b) },
  // docker/cli templates.go
  json: { fn: (v) => marshal(v, false) },
  join: { fn: (a, sep) => stringsOf(a).join(strArg(sep, 'join')) },
  split: { fn: (s, sep) => new GoSlice(splitGo(strArg(s, 'split'), strArg(sep, 'split')), '[]string') },
  lower: { fn: (s) => strArg(s, 'lower').toLowerCase() },
  upper: { fn: (s) => strArg(s, 'upper').toUpperCase() },
  title: { fn: (s) => titleCase(strArg(s, 'title')) },
  // docker's padWithSpace leaves an empty string empty
  pad: { fn: (s, before, after) => (strArg(s, 'pad') === '' ? '' : ' '.repeat(Math.max(0, intArg(before))) + strArg(s, 'pad') + ' '.repeat(Math.max(0, intArg(after)))) },
  truncate: {
    fn: (s, n) => {
      const str = strArg(s, 'truncate');
      const len = intArg(n);
      const b = Buffer.from(str, 'utf8');
      return b.length < len ? str : b.subarray(0, len).toString('utf8');
    },
  },
};

function splitGo(s: string, sep: string): string[] {
  if (sep === '') return [...s];
  return s.split(sep);
}

// ---- executor -----------------------------------------------------------------------------------

interface Variable {
  name: string;
  value: Value;
}

export interface ExecOptions {
  name: string;
  text: string;
  missingKeyError: boolean;
  funcs: Record<string, TemplateFunc>;
}

export function execute(t: ParsedTemplate, data: Value, o: ExecOptions): string {
  const vars: Variable[] = [{ name: '$', value: data }];
  const out: string[] = [];
  let atPos = 0;
  let atText = '';
  let depth = 0;

  const at = (pos: number, text: string): void => {
    atPos = pos;
    atText = text;
  };
  const location = (): string => {
    const before = o.text.slice(0, atPos);
    const line = before.split('\n').length;
    const nl = before.lastIndexOf('\n');
    const col = nl >= 0 ? atPos - nl - 1 : atPos;
    return `${o.name}:${line}:${col}`;
  };
  const errorf = (msg: string): never => {
    throw new ExecError(`template: ${location()}: executing "${o.name}" at <${atText}>: ${msg}`);
  };

  const lookupVar = (name: string): Value => {
    for (let i = vars.length - 1; i >= 0; i--) if (vars[i].name === name) return vars[i].value;
    return errorf(`undefined variable: ${name}`);
  };
  const setVar = (name: string, value: Value): void => {
    for (let i = vars.length - 1; i >= 0; i--) {
      if (vars[i].name === name) {
        vars[i].value = value;
        return;
      }
    }
    errorf(`undefined variable: ${name}`);
  };

  function walkList(dot: Value, list: Node[]): void {
    for (const n of list) walk(dot, n);
  }

  function walk(dot: Value, n: Node): void {
    switch (n.k) {
      case 'text':
        out.push(n.text);
        return;
      case 'action': {
        const v = evalPipeline(dot, n.pipe);
        if (n.pipe.decl.length === 0) out.push(printOut(v));
        return;
      }
      case 'if':
      case 'with': {
        const mark = vars.length;
        const v = evalPipeline(dot, n.pipe);
        if (isTrue(v)) walkList(n.k === 'with' ? v : dot, n.list);
        else if (n.elseList) walkList(dot, n.elseList);
        vars.length = mark;
        return;
      }
      case 'range':
        walkRange(dot, n);
        return;
      case 'template': {
        const list = t.defines.get(n.name);
        at(n.pos, nodeText(n));
        if (!list) errorf(`template ${JSON.stringify(n.name)} not defined`);
        if (++depth > 10000) errorf('exceeded maximum template depth (100000)');
        const newDot = n.pipe ? evalPipeline(dot, n.pipe) : null;
        const saved = vars.splice(0, vars.length, { name: '$', value: newDot });
        walkList(newDot, list!);
        vars.splice(0, vars.length, ...saved);
        depth--;
        return;
      }
      case 'break':
        throw new BreakSignal();
      case 'continue':
        throw new ContinueSignal();
    }
  }

  function nodeText(n: Node & { k: 'template' }): string {
    return `{{template ${JSON.stringify(n.name)}${n.pipe ? ' ' + pipeString(n.pipe) : ''}}}`;
  }

  function walkRange(dot: Value, n: Node & { k: 'range' }): void {
    const mark = vars.length;
    const val = evalPipeline(dot, n.pipe);
    const body = (key: Value, elem: Value): boolean => {
      const m2 = vars.length;
      if (n.pipe.decl.length === 1) setDecl(n.pipe, 0, elem);
      else if (n.pipe.decl.length === 2) {
        setDecl(n.pipe, 0, key);
        setDecl(n.pipe, 1, elem);
      }
      try {
        walkList(elem, n.list);
      } catch (e) {
        if (e instanceof BreakSignal) {
          vars.length = m2;
          return false;
        }
        if (!(e instanceof ContinueSignal)) throw e;
      }
      vars.length = m2;
      return true;
    };
    let count = 0;
    const items = Array.isArray(val) ? val : val instanceof GoSlice ? val.items : undefined;
    if (items) {
      for (let i = 0; i < items.length; i++) {
        count++;
        if (!body(new GoInt(i), items[i])) break;
      }
    } else if (val instanceof GoMap || isPlainObject(val)) {
      const m = val instanceof GoMap ? val.entries : val;
      for (const k of Object.keys(m).sort()) {
        count++;
        if (!body(k, m[k])) break;
      }
    } else if (val instanceof GoInt) {
      for (let i = 0; i < val.value; i++) {
        count++;
        if (!body(new GoInt(i, val.type), new GoInt(i, val.type))) break;
      }
    } else if (val instanceof GoNil && (val.kind === 'slice' || val.kind === 'map')) {
      // empty
    } else if (val === NO_VALUE) {
      // nothing to range over
    } else {
      at(n.pipe.pos, pipeString(n.pipe));
      errorf(`range can't iterate over ${formatV(val)}`);
    }
    if (count === 0 && n.elseList) walkList(dot, n.elseList);
    vars.length = mark;
  }

  function setDecl(p: Pipe, i: number, v: Value): void {
    if (p.isAssign) setVar(p.decl[i], v);
    else vars.push({ name: p.decl[i], value: v });
  }

  function printOut(v: Value): string {
    if (v instanceof GoFunc) errorf(`can't print ${atText} of type ${v.type}`);
    return printValue(v);
  }

  function evalPipeline(dot: Value, p: Pipe): Value {
    at(p.pos, pipeString(p));
    let value: Value | undefined;
    let hasFinal = false;
    for (const cmd of p.cmds) {
      value = evalCommand(dot, cmd, hasFinal, value);
      hasFinal = true;
    }
    if (p.decl.length === 1) setDecl(p, 0, value as Value);
    return value as Value;
  }

  function notAFunction(args: Arg[], hasFinal: boolean): void {
    if (args.length > 1 || hasFinal) errorf(`can't give argument to non-function ${argString(args[0])}`);
  }

  function evalCommand(dot: Value, cmd: Command, hasFinal: boolean, final: Value | undefined): Value {
    const first = cmd.args[0];
    switch (first.k) {
      case 'field':
        return evalFieldChain(dot, dot, first, first.idents, cmd.args, hasFinal, final);
      case 'chain': {
        const recv = evalArg(dot, first.node);
        return evalFieldChain(dot, recv, first, first.fields, cmd.args, hasFinal, final);
      }
      case 'ident':
        return evalFunction(dot, first.name, cmd, hasFinal, final);
      case 'pipe':
        at(first.pos, argString(first));
        notAFunction(cmd.args, hasFinal);
        return evalPipeline(dot, first.pipe);
      case 'variable':
        return evalVariable(dot, first, cmd.args, hasFinal, final);
    }
    at(first.pos, argString(first));
    notAFunction(cmd.args, hasFinal);
    switch (first.k) {
      case 'bool': return first.value;
      case 'dot': return dot;
      case 'nil': return errorf('nil is not a command');
      case 'number': return first.isInt ? new GoInt(first.value) : first.value;
      case 'string': return first.value;
    }
  }

  function evalVariable(dot: Value, v: Arg & { k: 'variable' }, args: Arg[], hasFinal: boolean, final: Value | undefined): Value {
    at(v.pos, argString(v));
    const value = lookupVar(v.idents[0]);
    if (v.idents.length === 1) {
      notAFunction(args, hasFinal);
      return value;
    }
    return evalFieldChain(dot, value, v, v.idents.slice(1), args, hasFinal, final);
  }

  function evalFieldChain(dot: Value, receiver: Value, node: Arg, idents: string[], args: Arg[], hasFinal: boolean, final: Value | undefined): Value {
    at(node.pos, argString(node));
    let r = receiver;
    for (let i = 0; i < idents.length - 1; i++) r = evalField(dot, idents[i], [], false, undefined, r);
    return evalField(dot, idents[idents.length - 1], args, hasFinal, final, r);
  }

  function evalField(dot: Value, name: string, args: Arg[], hasFinal: boolean, final: Value | undefined, receiver: Value): Value {
    const hasArgs = args.length > 1 || hasFinal;
    if (receiver === NO_VALUE) {
      if (o.missingKeyError) errorf(`nil data; no entry for key "${name}"`);
      return NO_VALUE;
    }
    if (receiver === null || receiver === undefined) errorf(`nil pointer evaluating interface {}.${name}`);
    if (receiver instanceof GoNil) {
      if (receiver.kind === 'map') {
        if (hasArgs) errorf(`${name} is not a method but has arguments`);
        return o.missingKeyError ? errorf(`map has no entry for key "${name}"`) : NO_VALUE;
      }
      errorf(`nil pointer evaluating ${receiver.type}.${name}`);
    }
    if (receiver instanceof GoStruct) {
      const method: GoMethod | undefined = Object.prototype.hasOwnProperty.call(receiver.methods, name) ? receiver.methods[name] : undefined;
      if (method) {
        const callArgs = args.slice(1).map((a) => evalArg(dot, a));
        if (hasFinal) callArgs.push(final as Value);
        try {
          return method(...(callArgs as GoValue[]));
        } catch (e) {
          return errorf(`error calling ${name}: ${(e as Error).message}`);
        }
      }
      const f = receiver.field(name);
      if (f.found) {
        if (hasArgs) errorf(`${name} has arguments but cannot be invoked as function`);
        return f.value as Value;
      }
      return errorf(`can't evaluate field ${name} in type ${receiver.type}`);
    }
    if (receiver instanceof GoMap || isPlainObject(receiver)) {
      if (hasArgs) errorf(`${name} is not a method but has arguments`);
      const m = receiver instanceof GoMap ? receiver.entries : receiver;
      if (Object.prototype.hasOwnProperty.call(m, name)) return m[name];
      if (o.missingKeyError) errorf(`map has no entry for key "${name}"`);
      return NO_VALUE;
    }
    return errorf(`can't evaluate field ${name} in type ${typeName(receiver)}`);
  }

  function evalArg(dot: Value, a: Arg): Value {
    at(a.pos, argString(a));
    switch (a.k) {
      case 'dot': return dot;
      case 'nil': return null;
      case 'bool': return a.value;
      case 'number': return a.isInt ? new GoInt(a.value) : a.value;
      case 'string': return a.value;
      case 'field': return evalFieldChain(dot, dot, a, a.idents, [a], false, undefined);
      case 'variable': return evalVariable(dot, a, [a], false, undefined);
      case 'pipe': return evalPipeline(dot, a.pipe);
      case 'chain': return evalFieldChain(dot, evalArg(dot, a.node), a, a.fields, [a], false, undefined);
      case 'ident': return evalFunction(dot, a.name, { pos: a.pos, line: a.line, args: [a] }, false, undefined);
    }
  }

  function evalFunction(dot: Value, name: string, cmd: Command, hasFinal: boolean, final: Value | undefined): Value {
    const f = o.funcs[name];
    at(cmd.args[0].pos, name);
    if (!f) return errorf(`"${name}" is not a defined function`);
    const argNodes = cmd.args.slice(1);
    const cmdText = commandString(cmd);
    if (name === 'and' || name === 'or') {
      if (argNodes.length + (hasFinal ? 1 : 0) === 0) {
        at(cmd.pos, cmdText);
        errorf(`wrong number of args for ${name}: want at least 1 got 0`);
      }
      let v: Value = null;
      const thunks: (() => Value)[] = argNodes.map((a) => () => evalArg(dot, a));
      if (hasFinal) thunks.push(() => final as Value);
      for (const th of thunks) {
        v = th();
        if (name === 'and' ? !isTrue(v) : isTrue(v)) return v;
      }
      return v;
    }
    const args = argNodes.map((a) => evalArg(dot, a));
    if (hasFinal) args.push(final as Value);
    at(cmd.pos, cmdText);
    const fixed: Record<string, number> = { not: 1, len: 1, ne: 2, lt: 2, le: 2, gt: 2, ge: 2, json: 1, join: 2, split: 2, lower: 1, upper: 1, title: 1, pad: 3, truncate: 2 };
    if (fixed[name] !== undefined && args.length !== fixed[name] && !o.funcs[name].lazy && BUILTINS[name] === f) {
      errorf(`wrong number of args for ${name}: want ${fixed[name]} got ${args.length}`);
    }
    if ((name === 'index' || name === 'slice' || name === 'printf' || name === 'call') && args.length === 0 && BUILTINS[name] === f) {
      errorf(`wrong number of args for ${name}: want at least 1 got 0`);
    }
    try {
      return f.fn(...args);
    } catch (e) {
      if (e instanceof ExecError || e instanceof TemplateError) throw e;
      return errorf(`error calling ${name}: ${(e as Error).message}`);
    }
  }

  try {
    walkList(data, t.root);
  } catch (e) {
    if (e instanceof ExecError) throw new TemplateError(e.message);
    throw e;
  }
  return out.join('');
}
