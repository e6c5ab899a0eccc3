// Bundle src/ into one CommonJS file, dist/tdocker.cjs, with esbuild. bin/tdocker runs it through
// vm.Script with a V8 code cache, so start-up does not pay for compiling it. Modules in the bundle
// are evaluated only when first required: dockerode only by commands that talk to the engine, ora
// and tar-fs only by the commands that use them. dockerode's ssh2 and gRPC dependencies (ssh://
// endpoints and BuildKit sessions only) are left out of the bundle and loaded on first use.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
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
const lazyBuiltinsPlugin = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^(node:)?(child_process|crypto|http|https|tls|zlib|dgram|readline)$/ }, (args) => {
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
};

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
      contents: args.path === 'debug'
        ? `module.exports = process.env.DEBUG ? require(${JSON.stringify(args.pluginData.real)}) : () => Object.assign(() => {}, { enabled: false });`
        : `const util = require('node:util');
module.exports = process.env.DEBUG ? util : Object.assign(Object.create(util), { inspect: () => '' });`,
      resolveDir: process.cwd(),
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
  legalComments: 'none',
  plugins: [lazyPlugin, lazyBuiltinsPlugin, quietDebugPlugin],
  // what `version` prints as Built (docker: its build time); RFC 3339 to the second, as Go's builds stamp it
  define: { __TDOCKER_BUILD_TIME__: JSON.stringify(new Date().toISOString().replace(/\.\d+Z$/, 'Z')) },
  banner: {
    js: "globalThis.__tdockerRequire ??= require; globalThis.__tdockerRoot ??= require('node:path').join(__dirname, '..');",
  },
  logLevel: 'warning',
});
