/**
 * Options types cannot drift from the flags: for every verb of the command table, each flag of its
 * spec (as the parser keys it) is a field of the verb's options type, and each field of that type is a
 * flag. The types are read from the sources (syntax only, fast); `extends` and `&` are followed across
 * src/. Fields that are not flags are allowed only when marked `/** not a flag *\/`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { keyOf, type FlagSpec } from '../../src/cli/flags.js';

const SRC = resolve(new URL('../../src', import.meta.url).pathname);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

interface Decl {
  props: { name: string; notFlag: boolean }[];
  bases: ts.TypeNode[];
  file: string;
}
/** per file: its own declarations, and the names it imports (name -> file) */
const decls = new Map<string, Map<string, Decl>>();
const imports = new Map<string, Map<string, string>>();
const parsed = new Map<string, ts.SourceFile>();
/**
 * Parse every file of src/ (syntax only), filling the maps above: done when the test runs, not when this
 * file is imported (the unit suite imports every test file into one process first, and these syntax trees
 * are a large part of its heap), and let go of after.
 */
function parseSources(): void {
  for (const f of files(SRC)) {
    const sf = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true);
    parsed.set(f, sf);
    const own = new Map<string, Decl>();
    const imp = new Map<string, string>();
    decls.set(f, own);
    imports.set(f, imp);
    const members = (m: ts.NodeArray<ts.TypeElement>): Decl['props'] =>
      m.filter(ts.isPropertySignature).map((p) => ({ name: p.name.getText(sf), notFlag: /not a flag/.test(p.getFullText(sf).slice(0, p.getLeadingTriviaWidth(sf))) }));
    sf.forEachChild((n) => {
      if (ts.isInterfaceDeclaration(n)) {
        const bases = (n.heritageClauses ?? []).flatMap((h) => h.types.map((t) => t as unknown as ts.TypeNode));
        own.set(n.name.text, { props: members(n.members), bases, file: f });
      } else if (ts.isTypeAliasDeclaration(n)) {
        own.set(n.name.text, { props: [], bases: [n.type], file: f });
      } else if (ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier) && n.moduleSpecifier.text.startsWith('.')) {
        const target = resolve(dirname(f), n.moduleSpecifier.text.replace(/\.js$/, '.ts'));
        const named = n.importClause?.namedBindings;
        if (named && ts.isNamedImports(named)) for (const e of named.elements) imp.set(e.name.text, target);
      }
    });
  }
}

function lookup(name: string, file: string): Decl | undefined {
  const d = decls.get(file)?.get(name);
  if (d) return d;
  const from = imports.get(file)?.get(name);
  return from ? lookup(name, from) : undefined;
}

function fieldsOf(t: ts.TypeNode, file: string, seen = new Set<string>()): Decl['props'] | undefined {
  if (ts.isTypeLiteralNode(t)) return t.members.filter(ts.isPropertySignature).map((p) => ({ name: p.name.getText(), notFlag: false }));
  if (ts.isIntersectionTypeNode(t)) {
    const all = t.types.map((x) => fieldsOf(x, file, seen));
    return all.some((x) => x === undefined) ? undefined : (all.flat() as Decl['props']);
  }
  if (ts.isParenthesizedTypeNode(t)) return fieldsOf(t.type, file, seen);
  let name: string | undefined;
  let args: readonly ts.TypeNode[] | undefined;
  if (ts.isTypeReferenceNode(t)) {
    name = t.typeName.getText();
    args = t.typeArguments;
  } else if (ts.isExpressionWithTypeArguments(t)) {
    name = t.expression.getText();
    args = t.typeArguments;
  }
  if (!name) return undefined;
  if ((name === 'Omit' || name === 'Pick') && args?.length === 2) {
    const base = fieldsOf(args[0], file, seen);
    const keys = new Set((ts.isUnionTypeNode(args[1]) ? args[1].types : [args[1]]).map((k) => k.getText().replace(/^['"]|['"]$/g, '')));
    return base?.filter((p) => (name === 'Omit' ? !keys.has(p.name) : keys.has(p.name)));
  }
  if (name === 'Record' && args?.[1]?.getText() === 'never') return [];
  const d = lookup(name, file);
  const id = `${d?.file}:${name}`;
  if (!d || seen.has(id)) return undefined;
  seen.add(id);
  const own = [...d.props];
  for (const b of d.bases) {
    const f = fieldsOf(b, d.file, seen);
    if (f === undefined) return undefined;
    own.push(...f);
  }
  return own;
}

/**
 * The options type of a verb file's `spec`: `spec: CommandSpec<T>`, or the first dockerSpec<T>(...) in
 * its initializer (through wrappers and variables of the same file), or the type of its run function's
 * second parameter.
 */
function specType(sf: ts.SourceFile): ts.TypeNode | undefined {
  const vars = new Map<string, ts.VariableDeclaration>();
  const funcs = new Map<string, ts.FunctionDeclaration>();
  const collect = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n)) vars.set(n.name.getText(sf), n);
    if (ts.isFunctionDeclaration(n) && n.name) funcs.set(n.name.text, n);
    n.forEachChild(collect);
  };
  collect(sf);
  const seen = new Set<string>();
  const ofVar = (name: string): ts.TypeNode | undefined => {
    const v = vars.get(name);
    if (!v || seen.has(name)) return undefined;
    seen.add(name);
    if (v.type && ts.isTypeReferenceNode(v.type) && v.type.typeArguments?.length) return v.type.typeArguments[0];
    let found: ts.TypeNode | undefined;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) && n.typeArguments?.length && /dockerSpec$/.test(n.expression.getText(sf))) found = n.typeArguments[0];
      else if (ts.isIdentifier(n) && n !== v.name && vars.has(n.text)) found = ofVar(n.text);
      else if (ts.isPropertyAssignment(n) && n.name.getText(sf) === 'run' && ts.isIdentifier(n.initializer)) {
        const f = funcs.get(n.initializer.text);
        const t = f?.parameters[1]?.type;
        if (t) found = t;
      }
      if (!found) n.forEachChild(visit);
    };
    if (v.initializer) visit(v.initializer);
    return found;
  };
  return ofVar('spec');
}

/**
 * Verbs whose options type disagrees with their flags today (found by this test): every other verb must
 * agree, and a verb listed here that comes to agree must leave the list.
 */
const DRIFT: Record<string, string> = {
  'container/create': 'resource and device flags parsed into the engine config without typed fields; detach/detachKeys/sigProxy typed but run-only',
  'container/run': 'resource and device flags parsed into the engine config without typed fields',
  'container/start': 'checkpoint fields typed, the experimental --checkpoint flags not offered',
  'image/build': 'squash typed (sent to the engine), --squash not offered',
  'builder/build': "image build's spec: squash typed, --squash not offered",
  'volume/create': 'the cluster-volume flags (API 1.42, src/cli/apiflags.ts) are refused before the verb runs: no typed fields',
  'service/create': 'ServiceCreateOptions is an index signature (any)', 'service/update': 'ServiceUpdateOptions is Record<string, any>',
  'swarm/init': '--external-ca has no typed field',
};

test('every flag of a verb is a field of its options type, and every field a flag', async () => {
  parseSources();
  try {
    await checkVerbs();
  } finally {
    for (const m of [decls, imports, parsed]) m.clear();
  }
});

async function checkVerbs(): Promise<void> {
  const index = readFileSync(join(SRC, 'commands/index.ts'), 'utf8');
  const verbs = [...index.matchAll(/^import \* as \w+ from '\.\/(.+)\.js';$/gm)].map((m) => m[1]);
  assert.ok(verbs.length > 100, `${verbs.length} verbs in the table`);
  const problems: string[] = [];
  let checked = 0;
  for (const v of verbs) {
    let file = join(SRC, 'commands', `${v}.ts`);
    // a verb that is another's under a second group re-exports its spec (`export { spec } from …`)
    const again = /^export \{ spec \} from '(.+)\.js';$/m.exec(readFileSync(file, 'utf8'));
    if (again) file = resolve(dirname(file), `${again[1]}.ts`);
    const sf = parsed.get(file)!;
    const mod = (await import(file)) as { spec?: { flags?: FlagSpec[] } };
    const flags = (mod.spec?.flags ?? []).filter((f) => f.name !== 'help').map(keyOf);
    const t = specType(sf);
    if (!t) {
      if (flags.length) problems.push(`${v}: flags ${flags.join(', ')} but no options type on its spec`);
      continue;
    }
    const fields = fieldsOf(t, file);
    if (!fields) {
      problems.push(`${v}: options type ${t.getText(sf)} not resolved`);
      continue;
    }
    checked++;
    const names = new Set(fields.map((f) => f.name));
    for (const k of flags) if (!names.has(k)) problems.push(`${v}: flag key ${k} is no field of ${t.getText(sf)}`);
    for (const f of fields) if (!f.notFlag && !flags.includes(f.name)) problems.push(`${v}: field ${f.name} of ${t.getText(sf)} is no flag`);
  }
  const listed = (p: string): boolean => p.split(':')[0] in DRIFT;
  assert.deepEqual(problems.filter((p) => !listed(p)), [], `${checked} verbs checked`);
  const mended = Object.keys(DRIFT).filter((v) => !problems.some((p) => p.startsWith(v + ':')));
  assert.deepEqual(mended, [], 'these verbs agree now: take them off DRIFT');
}
