#!/usr/bin/env node
// Started by bin/tdocker. Runs the bundled build (dist/tdocker.cjs) in this same process — raw
// terminal mode and signals must reach it — compiled with a V8 code cache kept beside it, so start-up skips compiling the bundle.
// This launcher is CommonJS (bin/package.json): an ES module entry point would start node's ESM
// loader, ~5 ms of start-up for nothing; the bundle's own import() calls still go to that loader.
'use strict';
const { readFileSync, writeFileSync, renameSync } = require('node:fs');
const { createRequire, Module } = require('node:module');
const { join } = require('node:path');
const vm = require('node:vm');

// NODE_EXTRA_CA_CERTS, taken out of node's start-up by bin/tdocker: back in the environment for child
// processes, and added to the roots of every TLS context made without a `ca` of its own, from the
// first load of tls or https (ours or dockerode's, through require) or the first fetch() call.
// Termination signals are held from here on, before the bundle is even read (src/cli/signals.ts takes
// them over): docker traps them from its first instant, and node would die of one while loading.
{
  const pending = [];
  const sigs = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
  const hold = (s) => pending.push(s);
  for (const s of sigs) process.on(s, hold);
  globalThis[Symbol.for('tdocker.heldSignals')] = {
    pending,
    stop() {
      for (const s of sigs) process.off(s, hold);
    },
  };
}

// bin/tdocker passes the name it was called by first: it stands in argv[1] for launch.cjs
if (process.argv.length > 2) process.argv.splice(1, 2, process.argv[2]);
require('./extra-ca.cjs')();

const dist = join(__dirname, '..', 'dist');
const file = join(dist, 'tdocker.cjs');
const cacheFile = join(dist, 'tdocker.cjs.cache');

let source;
try {
  source = readFileSync(file, 'utf8');
} catch {
  process.stderr.write('tdocker: not built yet: run `npm run build`\n');
  process.exit(1);
}
let cachedData;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  // first run: the cache is made at exit
}
const script = new vm.Script(Module.wrap(source), {
  filename: file,
  cachedData,
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
if (!cachedData || script.cachedDataRejected) {
  process.once('exit', () => {
    try {
      const tmp = `${cacheFile}.${process.pid}`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch {
      // a read-only installation runs without the cache
    }
  });
}
const module_ = { exports: {} };
script.runInThisContext()(module_.exports, createRequire(file), module_, file, dist);
