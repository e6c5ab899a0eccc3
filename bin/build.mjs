// Bundle src/main.ts into dist/ with esbuild. dockerode sits in its own chunk, loaded only by
// commands that talk to the engine; its ssh2 and gRPC dependencies are loaded lazily on first use
// (only ssh:// endpoints and BuildKit sessions need them), so `tdocker ps` does not pay for them.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

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

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: { tdocker: 'src/entry.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [lazyPlugin],
  banner: {
    js: "import { createRequire as __tdockerCreateRequire } from 'node:module'; const require = __tdockerCreateRequire(import.meta.url); globalThis.__tdockerRequire ??= require; globalThis.__tdockerRoot ??= new URL('..', import.meta.url).pathname;",
  },
  logLevel: 'warning',
});
