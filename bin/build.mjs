// Bundle src/ into one CommonJS file, dist/tdocker.cjs, with esbuild. bin/tdocker runs it through
// vm.Script with a V8 code cache, so start-up does not pay for compiling it. Modules in the bundle
// are evaluated only when first required: dockerode only by commands that talk to the engine, ora
// and tar-fs only by the commands that use them. dockerode's ssh2 and gRPC dependencies (ssh://
// endpoints and BuildKit sessions only) are left out of the bundle and loaded on first use.
import { build } from 'esbuild';
import { accessSync, constants, readFileSync, realpathSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { delimiter, join as joinPath } from 'node:path';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// [module, importer path fragment]: what dockerode/docker-modem load at start-up but need only for
// ssh:// endpoints (ssh2), BuildKit sessions (gRPC, uuid) or building from a directory (its own tar-fs).
const lazy = [
  ['ssh2', '/docker-modem/'],
  ['@grpc/grpc-js', '/dockerode/'],
  ['@grpc/proto-loader', '/dockerode/'],
  ['uuid', '/dockerode/'],
  ['tar-fs', '/dockerode/'],
  ['protobufjs', '/dockerode/'],
];

const lazyPlugin = {
  name: 'lazy-heavy-deps',
  setup(b) {
    // docker-modem's attach duplex uses readable-stream, a copy of node's own stream module
    b.onResolve({ filter: /^readable-stream$/ }, (args) =>
      args.importer.includes('/docker-modem/') ? { path: 'node:stream', external: true } : undefined);
    b.onResolve({ filter: /^(ssh2|@grpc\/grpc-js|@grpc\/proto-loader|uuid|tar-fs|protobufjs)$/ }, (args) => {
      const hit = lazy.find(([mod, from]) => mod === args.path && args.importer.includes(from));
      if (!hit) return undefined;
      // resolved from the importer's folder at run time, as node would
      return { path: args.path, namespace: 'lazy', pluginData: { from: args.resolveDir } };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, (args) => ({
      // A property read at load time (require('uuid').v4) gets a stand-in that loads the module on
      // first call or construction.
      contents: `const path = require('node:path');
let m; const load = () => (m ??= globalThis.__tdockerRequire(require.resolve(${JSON.stringify(args.path)}, { paths: [path.join(globalThis.__tdockerRoot, ${JSON.stringify(args.pluginData.from.replace(process.cwd() + '/', ''))})] })));
module.exports = new Proxy({}, {
  get(_, k) {
    if (m) return m[k];
    if (k === '__esModule') return false;
    return function (...a) { const f = load()[k]; return new.target ? new f(...a) : f.apply(this, a); };
  },
  has: (_, k) => k in load(),
});`,
      resolveDir: process.cwd(),
      loader: 'js',
    }));
  },
};

// Node builtins that our modules and dockerode import at the top but use only in some commands (git
// clones, credential helpers, named contexts, TLS, gzip): a stand-in whose properties load the real
// module on first use, so `tdocker --help` or `tdocker ps` do not load child_process, crypto, tls...
const lazyBuiltinsFor = (extra = '') => ({
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(node:)?(child_process|crypto|http|https|tls|zlib|dgram|readline${extra})$`) }, (args) => {
      const mod = args.path.replace(/^node:/, '');
      if (args.importer.includes('/src/')) return { path: mod, namespace: 'lazy-builtin-esm' };
      if (/\/node_modules\/(dockerode|docker-modem|commander)\//.test(args.importer)) return { path: mod, namespace: "lazy-builtin-cjs" };
      return undefined;
    });
    // our (ESM) modules: each exported function of the builtin becomes a stand-in that loads it on first call
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin-esm' }, (args) => {
      const real = require(`node:${args.path}`);
      const names = Object.keys(real).filter((k) => typeof real[k] === 'function' && /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default');
      const lines = [`let m; const load = () => (m ??= require(${JSON.stringify('node:' + args.path)}));`];
      for (const n of names) lines.push(`export function ${n}(...a) { const f = load().${n}; return new.target ? new f(...a) : f.apply(this, a); }`);
      lines.push('export default new Proxy({}, { get: (_, k) => load()[k] });');
      return { contents: lines.join('\n'), loader: 'js' };
    });
    // dockerode and docker-modem (CommonJS): a proxy whose properties load the builtin on first use
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin-cjs' }, (args) => ({
      contents: `let m; const load = () => (m ??= require(${JSON.stringify('node:' + args.path)}));
module.exports = new Proxy({}, {
  get: (_, k) => load()[k],
  has: (_, k) => k in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, k) => { const d = Object.getOwnPropertyDescriptor(load(), k); return d && { ...d, configurable: true }; },
});`,
      loader: 'js',
    }));
  },
});
const lazyBuiltinsPlugin = lazyBuiltinsFor();
// the fast path's help never connects: node:net (~2 ms to load) waits for the first connection there
// (in the snapshot it is loaded at build time, where it costs nothing)
const fastBuiltinsPlugin = lazyBuiltinsFor('|net');

// docker-modem's debug log (DEBUG=modem): the `debug` package and the util.inspect of each request's
// options that feeds it are evaluated even when the log is off (~2 ms of start-up, and an inspect of
// every request). Without DEBUG in the environment, stand-ins that do nothing take their place.
const quietDebugPlugin = {
  name: 'quiet-debug',
  setup(b) {
    b.onResolve({ filter: /^(debug|util)$/ }, (args) =>
      args.importer.includes('/node_modules/docker-modem/lib/modem.js')
        ? { path: args.path, namespace: 'quiet-debug', pluginData: { real: args.path === 'debug' ? require.resolve('debug', { paths: [args.resolveDir] }) : 'node:util' } }
        : undefined);
    b.onLoad({ filter: /.*/, namespace: 'quiet-debug' }, (args) => ({
      // DEBUG is looked at when the log is first written, not as the module loads (the startup snapshot
      // evaluates it at build time)
      contents: args.path === 'debug'
        ? `module.exports = (ns) => {
  let d;
  const get = () => (d ??= process.env.DEBUG ? require(${JSON.stringify(args.pluginData.real)})(ns) : null);
  const f = (...a) => { const r = get(); if (r) r(...a); };
  Object.defineProperty(f, 'enabled', { get: () => !!get()?.enabled });
  return f;
};`
        : `const util = require('node:util');
module.exports = Object.assign(Object.create(util), { inspect: (...a) => (process.env.DEBUG ? util.inspect(...a) : '') });`,
      resolveDir: process.cwd(),
      loader: 'js',
    }));
  },
};

// chalk and ora (compose's colours and spinner, build's spinner) decide colours, Unicode and the
// cursor from the environment and the terminal as they load: they load on first use, not with the
// bundle (which the startup snapshot evaluates at build time). Our modules get a stand-in whose
// exports are getters over the real module, evaluated when first read.
const lazyEsmNames = {};
for (const mod of ['chalk', 'ora']) lazyEsmNames[mod] = Object.keys(await import(mod));
const lazyEsmPlugin = {
  name: 'lazy-esm-deps',
  setup(b) {
    b.onResolve({ filter: /^(chalk|ora)$/ }, (args) => {
      if (args.pluginData?.real || !args.importer.includes('/src/')) return undefined;
      return { path: args.path, namespace: 'lazy-esm', pluginData: { resolveDir: args.resolveDir } };
    });
    b.onResolve({ filter: /^real:/, namespace: 'lazy-esm' }, async (args) => {
      const r = await b.resolve(args.path.slice(5), { resolveDir: args.pluginData.resolveDir, kind: 'require-call', pluginData: { real: true } });
      return r.errors.length ? { errors: r.errors } : { path: r.path };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-esm' }, (args) => ({
      contents: `let m; const load = () => (m ??= require(${JSON.stringify('real:' + args.path)}));
module.exports = { __esModule: true${lazyEsmNames[args.path].map((k) => `, get ${JSON.stringify(k)}() { return load()[${JSON.stringify(k)}]; }`).join('')} };`,
      pluginData: args.pluginData,
      loader: 'js',
    }));
  },
};

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/entry.ts'],
  outfile: 'dist/tdocker.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  minifySyntax: true,
  minifyWhitespace: true,
  minifyIdentifiers: !process.env.TDOCKER_BUILD_NAMES,
  legalComments: 'none',
  plugins: [lazyPlugin, lazyBuiltinsPlugin, quietDebugPlugin, lazyEsmPlugin],
  // what `version` prints as Built (docker: its build time); RFC 3339 to the second, as Go's builds stamp it
  define: { __TDOCKER_BUILD_TIME__: JSON.stringify(new Date().toISOString().replace(/\.\d+Z$/, 'Z')) },
  banner: {
    js: "globalThis.__tdockerRequire ??= require; globalThis.__tdockerRoot ??= require('node:path').join(__dirname, '..');",
  },
  logLevel: 'warning',
});

// The start-up fast path (src/fast.ts -> dist/fast.cjs): the root help's command sections, rendered
// here from the command tree (the fast path adds the head, the global options and the closing lines
// itself, with the same functions), then the bundle, then its V8 code cache, made by this node after
// a warm-up run so that the functions the fast path runs are in it. bin/launch.cjs reads the cache
// whose name carries the running node's version and architecture (V8 also refuses a cache of
// another build), and runs the fast path before it reads the whole bundle.
{
  const probe = 'tdocker-prerender';
  const pre = await build({
    stdin: {
      contents: `import { buildTree, commandHelp } from './src/cli/command.ts';
import { groups, topLevel, commonOrder } from './src/commands/index.ts';
import { rootHelpHead, rootHelpTail } from './src/cli/roothelp.ts';
const root = buildTree(${JSON.stringify(probe)}, groups, topLevel, commonOrder);
const text = commandHelp(root, { name: ${JSON.stringify(probe)}, in: { isTTY: false }, out: { columns: 0 } }, [], []);
const head = rootHelpHead(${JSON.stringify(probe)});
const tail = rootHelpTail(${JSON.stringify(probe)}, [], 79);
if (!text.startsWith(head) || !text.endsWith(tail)) throw new Error('the root help does not start and end as src/cli/roothelp.ts says');
module.exports = text.slice(head.length, text.length - tail.length);`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    write: false,
    plugins: [lazyPlugin, lazyBuiltinsPlugin, quietDebugPlugin, lazyEsmPlugin],
    define: { __TDOCKER_BUILD_TIME__: '""' },
    logLevel: 'warning',
  });
  const m = { exports: {} };
  new Function('module', 'exports', 'require', pre.outputFiles[0].text)(m, m.exports, require);
  const sections = m.exports;
  if (typeof sections !== 'string' || sections.includes(probe)) throw new Error('build: the root help sections name the program');
  await build({
    entryPoints: ['src/fast.ts'],
    outfile: 'dist/fast.cjs',
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minifySyntax: true,
    minifyWhitespace: true,
    minifyIdentifiers: !process.env.TDOCKER_BUILD_NAMES,
    legalComments: 'none',
    plugins: [lazyPlugin, fastBuiltinsPlugin, quietDebugPlugin, lazyEsmPlugin],
    define: { __TDOCKER_ROOT_SECTIONS__: JSON.stringify(sections), __TDOCKER_BUILD_TIME__: '""' },
    logLevel: 'warning',
  });
  const made = spawnSync(process.execPath, ['-e', `
const { readFileSync, writeFileSync } = require('node:fs');
const { Module, createRequire } = require('node:module');
const vm = require('node:vm');
const file = require('node:path').resolve('dist/fast.cjs');
const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file });
const m = { exports: {} };
script.runInThisContext()(m.exports, createRequire(file), m, file, require('node:path').dirname(file));
m.exports.warm().then(() => writeFileSync(file + '.' + process.version + '-' + process.arch + '.cache', script.createCachedData()));
`], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' } });
  if (made.status !== 0) {
    process.stderr.write('build: no code cache for the fast path\n');
    process.exit(1);
  }
}

// The V8 startup snapshot (dist/tdocker.blob): the bundle evaluated once, here, so that a run starts
// with it in memory, neither compiled nor evaluated again. bin/tdocker uses it when it was made by
// the node it runs (dist/tdocker.blob.node names that node), and the code-cache path otherwise.
const snapshotScript = [
  readFileSync('bin/snapshot-head.cjs', 'utf8'),
  `const __tdockerTrustExtraCa = (() => { const module = { exports: {} }; ${readFileSync('bin/extra-ca.cjs', 'utf8')}\n; return module.exports; })();`,
  readFileSync('dist/tdocker.cjs', 'utf8'),
  readFileSync('bin/snapshot-tail.cjs', 'utf8'),
].join('\n');
writeFileSync('dist/snapshot.cjs', snapshotScript);
const made = spawnSync(process.execPath, ['--no-warnings', '--snapshot-blob', 'dist/tdocker.blob', '--build-snapshot', 'dist/snapshot.cjs'], {
  stdio: ['ignore', 'inherit', 'pipe'],
  encoding: 'utf8',
  env: { ...process.env, NODE_OPTIONS: '' },
});
rmSync('dist/snapshot.cjs');
if (made.status === 3) {
  // the bundle read run-time state while loading: a bug to fix, not a snapshot to ship
  process.stderr.write(made.stderr);
  rmSync('dist/tdocker.blob', { force: true });
  process.exit(1);
}
if (made.status !== 0) {
  rmSync('dist/tdocker.blob', { force: true });
  process.stderr.write(`build: no startup snapshot (node said: ${made.stderr.trim().split('\n')[0] || `status ${made.status ?? made.signal}`}); tdocker starts from the code cache\n`);
} else {
  // the stamp: the first node on PATH as bin/tdocker finds it (when it is this node), with that
  // node's modification time (bin/tdocker compares the two, a replaced node starts from the code cache)
  let found;
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    const p = joinPath(d || '.', 'node');
    try {
      accessSync(p, constants.X_OK);
      if (!statSync(p).isFile()) continue;
    } catch {
      continue;
    }
    found = p;
    break;
  }
  if (found && realpathSync(found) === realpathSync(process.execPath)) {
    writeFileSync('dist/tdocker.blob.node', `${found}\n${process.version}\n`);
    const { mtime } = statSync(found);
    utimesSync('dist/tdocker.blob.node', mtime, mtime);
  } else {
    rmSync('dist/tdocker.blob', { force: true });
    process.stderr.write(`build: the first node on PATH is not ${process.execPath}: no startup snapshot, tdocker starts from the code cache\n`);
  }
}
