/**
 * Execution of parsed templates with Go's text/template semantics (text/template/exec.go): field and
 * method lookup, map access and the missingkey option, truth, range/with/if scoping, break/continue,
 * template invocation, argument checking against Go parameter types, and Go's error texts
 * ("template: :1:8: executing "" at <.State.Nope>: map has no entry for key "Nope"").
 */
import { nodeString, TemplateError, type AnyNode, type Arg, type BranchNode, type CommandNode, type ListNode, type Node, type NumberNode, type ParsedTemplate, type PipeNode, type TemplateNode } from './parse.js';
import { GoFunc, GoInt, GoMap, GoNil, GoSlice, GoStruct, type GoValue } from './values.js';
import { formatV, isNilish, isPlainObject, NO_VALUE, sortedKeys, typeName, type Value } from './gofmt.js';
import { derefStruct, elemType, Iface, NIL_IFACE, isTrue, unwrap, type FuncDef, type ParamType } from './funcs.js';

export interface ExecOptions {
  missingKeyError: boolean;
  funcs: Record<string, FuncDef>;
}

class BreakSignal {}
class ContinueSignal {}
const BREAK = new BreakSignal();
const CONTINUE = new ContinueSignal();

/** Marks "no final value" (Go's missingVal) */
const MISSING: unique symbol = Symbol('missing');
type Final = Value | Iface | typeof MISSING;

type V = Value | Iface;

interface Variable {
  name: string;
  value: V;
}

const MAX_DEPTH = 100000;

/** Is this map's element type interface{} (its values are seen through an interface)? */
function ifaceElems(v: Value): boolean {
  if (Array.isArray(v) || isPlainObject(v)) return true;
  if (v instanceof GoSlice || v instanceof GoMap) return /interface \{\}$|^\[\]any$|\]any$/.test(v.type);
  return false;
}

function wrapElem(container: Value, v: GoValue): V {
  return ifaceElems(container) ? new Iface(v) : v;
}

export function execute(t: ParsedTemplate, data: Value, o: ExecOptions): string {
  return new State(t, o).run(data);
}

/** a method's parameter types by its arity, made once (a listing calls several methods a row) */
const paramsByArity: ParamType[][] = [];
function methodParams(n: number): ParamType[] {
  return (paramsByArity[n] ??= n > 0 ? Array<ParamType>(n).fill('any') : ['any']);
}

class State {
  out = '';
  vars: Variable[] = [];
  node: AnyNode | undefined;
  tmplName: string;
  depth = 0;
  textBytes: Buffer | undefined;

  constructor(
    readonly t: ParsedTemplate,
    readonly o: ExecOptions,
  ) {
    this.tmplName = t.name;
  }

  run(data: Value): string {
    const root = this.t.trees.get(this.t.name);
    if (!root) this.errorf(`${JSON.stringify(this.t.name)} is an incomplete or empty template`);
    this.vars = [{ name: '$', value: data }];
    try {
      this.walk(data, root!);
    } catch (e) {
      if (e instanceof BreakSignal || e instanceof ContinueSignal) return this.out;
      if (e instanceof TemplateError) e.partial = this.out;
      throw e;
    }
    return this.out;
  }

  at(n: AnyNode): void {
    this.node = n;
  }

  errorf(msg: string): never {
    const name = this.tmplName;
    if (!this.node) throw new TemplateError(`template: ${name}: ${msg}`);
    this.textBytes ??= Buffer.from(this.t.text, 'utf8');
    const pos = this.node.pos;
    const before = this.textBytes.subarray(0, pos);
    let line = 1;
    let lastNL = -1;
    for (let i = 0; i < before.length; i++) {
      if (before[i] === 10) {
        line++;
        lastNL = i;
      }
    }
    const col = lastNL < 0 ? pos : pos - (lastNL + 1);
    throw new TemplateError(`template: ${this.t.name}:${line}:${col}: executing ${JSON.stringify(name)} at <${nodeString(this.node)}>: ${msg}`);
  }

  // ---- variables ----

  mark(): number {
    return this.vars.length;
  }
  pop(mark: number): void {
    this.vars.length = mark;
  }
  push(name: string, value: V): void {
    this.vars.push({ name, value });
  }
  setVar(name: string, value: V): void {
    for (let i = this.vars.length - 1; i >= 0; i--) {
      if (this.vars[i].name === name) {
        this.vars[i].value = value;
        return;
      }
    }
    this.errorf(`undefined variable: ${name}`);
  }
  setTopVar(n: number, value: V): void {
    this.vars[this.vars.length - n].value = value;
  }
  varValue(name: string): V {
    for (let i = this.vars.length - 1; i >= 0; i--) if (this.vars[i].name === name) return this.vars[i].value;
    return this.errorf(`undefined variable: ${name}`);
  }

  // ---- walking ----

  walk(dot: V, node: Node | ListNode): void {
    this.at(node);
    switch (node.k) {
      case 'list':
        for (const n of node.nodes) this.walk(dot, n);
        return;
      case 'text':
        this.out += node.text;
        return;
      case 'action': {
        const val = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) this.printValue(node, val);
        return;
      }
      case 'if':
      case 'with':
        this.walkIfOrWith(dot, node);
        return;
      case 'range':
        this.walkRange(dot, node);
        return;
      case 'template':
        this.walkTemplate(dot, node);
        return;
      case 'break':
        throw BREAK;
      case 'continue':
        throw CONTINUE;
    }
  }

  walkIfOrWith(dot: V, n: BranchNode): void {
    const mark = this.mark();
    const val = this.evalPipeline(dot, n.pipe);
    if (isTrue(val)) this.walk(n.k === 'with' ? val : dot, n.list);
    else if (n.elseList) this.walk(dot, n.elseList);
    this.pop(mark);
  }

  walkRange(dot: V, r: BranchNode): void {
    this.at(r);
    const outer = this.mark();
    try {
      let val = unwrap(this.evalPipeline(dot, r.pipe));
      if (val instanceof GoStruct && val.type.startsWith('*')) val = derefStruct(val);
      const mark = this.mark();
      const decl = r.pipe.decl;
      const one = (index: V, elem: V): void => {
        if (decl.length > 0) {
          if (r.pipe.isAssign) this.setVar(decl[0].idents[0], decl.length > 1 ? index : elem);
          else this.setTopVar(1, elem);
        }
        if (decl.length > 1) {
          if (r.pipe.isAssign) this.setVar(decl[1].idents[0], elem);
          else this.setTopVar(2, index);
        }
        try {
          this.walk(elem, r.list);
        } catch (e) {
          if (e !== CONTINUE) throw e;
        } finally {
          this.pop(mark);
        }
      };
      let ran = false;
      const items = Array.isArray(val) ? val : val instanceof GoSlice ? val.items : undefined;
      if (items) {
        for (let i = 0; i < items.length; i++) {
          ran = true;
          one(new GoInt(i), wrapElem(val, items[i]));
        }
      } else if (val instanceof GoMap || isPlainObject(val)) {
        const m = val instanceof GoMap ? val.entries : val;
        for (const k of sortedKeys(m)) {
          ran = true;
          one(k, wrapElem(val, m[k]));
        }
      } else if (val instanceof GoInt) {
        if (decl.length > 1) this.errorf(`can't use ${formatV(val)} to iterate over more than one variable`);
        for (let i = 0; i < val.value; i++) {
          ran = true;
          one(NO_VALUE, new GoInt(i, val.type));
        }
      } else if (isNilish(val) || (val instanceof GoNil && (val.kind === 'slice' || val.kind === 'map'))) {
        // nothing to iterate
      } else {
        this.errorf(`range can't iterate over ${formatV(val)}`);
      }
      if (!ran && r.elseList) this.walk(dot, r.elseList);
    } catch (e) {
      if (e !== BREAK) throw e;
    } finally {
      this.pop(outer);
    }
  }

  walkTemplate(dot: V, t: TemplateNode): void {
    this.at(t);
    const root = this.t.trees.get(t.name);
    if (!root) this.errorf(`template ${JSON.stringify(t.name)} not defined`);
    if (this.depth === MAX_DEPTH) this.errorf(`exceeded maximum template depth (${MAX_DEPTH})`);
    const newDot = t.pipe ? this.evalPipeline(dot, t.pipe) : NO_VALUE;
    const saved = { vars: this.vars, name: this.tmplName };
    this.vars = [{ name: '$', value: newDot }];
    this.tmplName = t.name;
    this.depth++;
    try {
      this.walk(newDot, root!);
    } finally {
      this.depth--;
      this.vars = saved.vars;
      this.tmplName = saved.name;
    }
  }

  printValue(n: Node, v: V): void {
    this.at(n);
    // a string prints as itself (formatV's first case): most of a listing's cells
    if (typeof v === 'string') {
      this.out += v;
      return;
    }
    let x = unwrap(v);
    if (x instanceof GoStruct && x.type.startsWith('*')) x = derefStruct(x);
    if (isNilish(x)) {
      this.out += '<no value>';
      return;
    }
    if (x instanceof GoFunc) this.errorf(`can't print ${nodeString(n)} of type ${x.type}`);
    this.out += formatV(x);
  }

  // ---- evaluation ----

  evalPipeline(dot: V, pipe: PipeNode): Value {
    this.at(pipe);
    let value: Final = MISSING;
    for (const cmd of pipe.cmds) {
      value = this.evalCommand(dot, cmd, value);
      value = unwrap(value);
    }
    const v = value as Value;
    for (const d of pipe.decl) {
      if (pipe.isAssign) this.setVar(d.idents[0], v);
      else this.push(d.idents[0], v);
    }
    return v;
  }

  notAFunction(args: Arg[], final: Final): void {
    if (args.length > 1 || final !== MISSING) this.errorf(`can't give argument to non-function ${nodeString(args[0])}`);
  }

  evalCommand(dot: V, cmd: CommandNode, final: Final): V {
    const first = cmd.args[0];
    switch (first.k) {
      case 'field':
        this.at(first);
        return this.evalFieldChain(dot, dot, first, first.idents, cmd.args, final);
      case 'chain':
        return this.evalChain(dot, first, cmd.args, final);
      case 'identifier':
        return this.evalFunction(dot, first, cmd, cmd.args, final);
      case 'pipe':
        this.notAFunction(cmd.args, final);
        return this.evalPipeline(dot, first);
      case 'variable':
        return this.evalVariable(dot, first, cmd.args, final);
    }
    this.at(first);
    this.notAFunction(cmd.args, final);
    switch (first.k) {
      case 'bool': return first.value;
      case 'dot': return dot;
      case 'nil': return this.errorf('nil is not a command');
      case 'number': return this.idealConstant(first);
      case 'string': return first.text;
    }
  }

  idealConstant(n: NumberNode): Value {
    this.at(n);
    const isHexInt = /^[+-]?0[xX]/.test(n.text) && !/[pP]/.test(n.text);
    if (n.isFloat && !isHexInt && n.text[0] !== "'" && /[.eEpP]/.test(n.text)) return n.float;
    if (n.isInt) return new GoInt(n.int);
    if (n.isUint) this.errorf(`${n.text} overflows int`);
    return NO_VALUE;
  }

  evalChain(dot: V, chain: Arg & { k: 'chain' }, args: Arg[], final: Final): V {
    this.at(chain);
    if (chain.node.k === 'nil') this.errorf(`indirection through explicit nil in ${nodeString(chain)}`);
    const pipe = this.evalArg(dot, 'any', chain.node);
    return this.evalFieldChain(dot, pipe, chain, chain.fields, args, final);
  }

  evalVariable(dot: V, v: Arg & { k: 'variable' }, args: Arg[], final: Final): V {
    this.at(v);
    const value = this.varValue(v.idents[0]);
    if (v.idents.length === 1) {
      this.notAFunction(args, final);
      return value;
    }
    return this.evalFieldChain(dot, value, v, v.idents.slice(1), args, final);
  }

  evalFieldChain(dot: V, receiver: V, node: Arg, idents: string[], args: Arg[], final: Final): V {
    const n = idents.length;
    for (let i = 0; i < n - 1; i++) receiver = this.evalField(dot, idents[i], node, [], MISSING, receiver);
    return this.evalField(dot, idents[n - 1], node, args, final, receiver);
  }

  evalField(dot: V, name: string, node: Arg, args: Arg[], final: Final, receiver: V): V {
    const viaIface = receiver instanceof Iface;
    const r = unwrap(receiver);
    if (isNilish(r) && !(viaIface && r !== NO_VALUE)) {
      if (this.o.missingKeyError) this.errorf(`nil data; no entry for key ${JSON.stringify(name)}`);
      return NO_VALUE;
    }
    // the receiver's type name is for the error texts only (a listing evaluates thousands of fields)
    if (r === null || r === undefined) this.errorf(`nil pointer evaluating ${viaIface ? 'interface {}' : typeName(r)}.${name}`);
    if (r instanceof GoStruct && Object.prototype.hasOwnProperty.call(r.methods, name)) {
      const fn = r.methods[name];
      if (fn.length === 0 && args.length <= 1 && final === MISSING) {
        // a method without arguments ({{.ID}}: most of a listing's cells), called as evalCall would
        try {
          return fn() as Value;
        } catch (e) {
          if (e instanceof TemplateError) throw e;
          this.at(node);
          return this.errorf(`error calling ${name}: ${(e as Error).message}`);
        }
      }
      const def: FuncDef = { params: methodParams(fn.length), variadic: fn.length === 0, fn: fn as FuncDef['fn'] };
      return this.evalCall(dot, def, false, node, name, args, final);
    }
    const hasArgs = args.length > 1 || final !== MISSING;
    if (r instanceof GoStruct) {
      const f = r.field(name);
      if (f.found) {
        if (hasArgs) this.errorf(`${name} has arguments but cannot be invoked as function`);
        return f.value as Value;
      }
    } else if (r instanceof GoMap || isPlainObject(r) || (r instanceof GoNil && r.kind === 'map')) {
      if (hasArgs) this.errorf(`${name} is not a method but has arguments`);
      const m = r instanceof GoNil ? {} : r instanceof GoMap ? r.entries : (r as { [k: string]: GoValue });
      if (Object.prototype.hasOwnProperty.call(m, name)) return wrapElem(r as Value, m[name]);
      if (this.o.missingKeyError) this.errorf(`map has no entry for key ${JSON.stringify(name)}`);
      return NO_VALUE;
    } else if (r instanceof GoNil && (r.kind === 'ptr' || r.kind === 'interface')) {
      this.errorf(`nil pointer evaluating ${viaIface ? 'interface {}' : typeName(r)}.${name}`);
    }
    return this.errorf(`can't evaluate field ${name} in type ${viaIface ? 'interface {}' : typeName(r)}`);
  }

  evalFunction(dot: V, node: Arg & { k: 'identifier' }, cmd: AnyNode, args: Arg[] | undefined, final: Final): V {
    this.at(node);
    const f = this.o.funcs[node.name];
    if (!f) this.errorf(`${JSON.stringify(node.name)} is not a defined function`);
    return this.evalCall(dot, f, !!f.builtin, cmd, node.name, args, final);
  }

  paramType(f: FuncDef, i: number): ParamType {
    return f.variadic && i >= f.params.length - 1 ? f.params[f.params.length - 1] : f.params[i];
  }

  evalCall(dot: V, f: FuncDef, isBuiltin: boolean, node: AnyNode, name: string, argNodes: Arg[] | undefined, final: Final): V {
    const args = argNodes ? argNodes.slice(1) : [];
    const numIn = args.length + (final !== MISSING ? 1 : 0);
    const numParams = f.params.length;
    if (f.variadic) {
      if (numIn < numParams - 1) this.errorf(`wrong number of args for ${name}: want at least ${numParams - 1} got ${args.length}`);
    } else if (numIn !== numParams) this.errorf(`wrong number of args for ${name}: want ${numParams} got ${numIn}`);

    if (isBuiltin && (name === 'and' || name === 'or')) {
      let v: Value = NO_VALUE;
      for (const a of args) {
        v = this.evalArg(dot, 'value', a);
        if (v === NIL_IFACE) v = null;
        if (isTrue(v) === (name === 'or')) return v;
      }
      if (final !== MISSING) v = unwrap(final);
      return v;
    }

    const argv: Value[] = [];
    for (let i = 0; i < args.length; i++) argv.push(this.evalArg(dot, this.paramType(f, i), args[i]));
    if (final !== MISSING) argv.push(this.validateType(final, this.paramType(f, numIn - 1)));
    if (isBuiltin && name === 'call') {
      const callee = args.length === 0 ? String(unwrap(final as V)) : nodeString(args[0]);
      argv.unshift(callee);
    }
    try {
      return f.fn(...argv);
    } catch (e) {
      if (e instanceof TemplateError) throw e;
      this.at(node);
      return this.errorf(`error calling ${name}: ${(e as Error).message}`);
    }
  }

  /** Check a computed value against a parameter type (validateType). */
  validateType(value: V, typ: ParamType): Value {
    const viaIface = value instanceof Iface;
    const v = unwrap(value);
    if (typ === 'value' && viaIface && (v === null || v === undefined)) return NIL_IFACE;
    if (typ === 'any' || typ === 'value') return v === NO_VALUE && typ === 'any' ? null : v;
    if (isNilish(v) && !(viaIface && v !== NO_VALUE)) {
      if (typ === '[]string') return new GoNil('[]string', 'slice');
      this.errorf(`invalid value; expected ${typ}`);
    }
    let ok = false;
    if (typ === 'string') ok = typeof v === 'string';
    else if (typ === 'int') ok = v instanceof GoInt && v.type === 'int';
    else ok = (v instanceof GoSlice || v instanceof GoNil) && v.type === '[]string';
    if (!ok) this.errorf(`wrong type for value; expected ${typ}; got ${isNilish(v) ? 'interface {}' : typeName(v)}`);
    return v;
  }

  evalArg(dot: V, typ: ParamType, n: Arg): Value {
    this.at(n);
    switch (n.k) {
      case 'dot': return this.validateType(dot, typ);
      case 'nil':
        if (typ === 'any' || typ === 'value') return null;
        if (typ === '[]string') return new GoNil('[]string', 'slice');
        return this.errorf(`cannot assign nil to ${typ}`);
      case 'field': return this.validateType(this.evalFieldChain(dot, dot, n, n.idents, [n], MISSING), typ);
      case 'variable': return this.validateType(this.evalVariable(dot, n, [n], MISSING), typ);
      case 'pipe': return this.validateType(this.evalPipeline(dot, n), typ);
      case 'identifier': return this.validateType(this.evalFunction(dot, n, n, undefined, MISSING), typ);
      case 'chain': return this.validateType(this.evalChain(dot, n, [n], MISSING), typ);
    }
    switch (typ) {
      case 'any':
      case 'value':
        if (n.k === 'bool') return n.value;
        if (n.k === 'number') return this.idealConstant(n);
        return n.text;
      case 'string':
        if (n.k === 'string') return n.text;
        return this.errorf(`expected string; found ${nodeString(n)}`);
      case 'int':
        if (n.k === 'number' && n.isInt) return new GoInt(n.int);
        return this.errorf(`expected integer; found ${nodeString(n)}`);
      default:
        return this.errorf(`can't handle ${nodeString(n)} for arg of type ${typ}`);
    }
  }
}

export { elemType };
