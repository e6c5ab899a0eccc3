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

// The fast path (dist/fast.cjs, src/fast.ts): the hottest command lines, run without the whole
// bundle. It answers nothing (and writes nothing) for a command line outside its scope; the bundle
// runs then.
// TDOCKER_FAST=off skips it; TDOCKER_FAST=require makes a decline an error (status 99, the reason on
// stderr): the differential tests use both to compare the two paths.
const FAST_FIRST = new Set(['--help', 'help', 'ps', 'images', 'container', 'image']);
const fastMode = process.env.TDOCKER_FAST;
if (fastMode !== 'off' && (process.argv.length === 2 || FAST_FIRST.has(process.argv[2]))) {
  const fastFile = join(dist, 'fast.cjs');
  let fast;
  try {
    const code = readFileSync(fastFile, 'utf8');
    let cachedData;
    try {
      cachedData = readFileSync(`${fastFile}.${process.version}-${process.arch}.cache`);
    } catch {
      // made by bin/build.mjs with this node only
    }
    const m = { exports: {} };
    new vm.Script(Module.wrap(code), { filename: fastFile, cachedData }).runInThisContext()(m.exports, createRequire(fastFile), m, fastFile, dist);
    fast = m.exports;
  } catch {
    fast = undefined;
  }
  if (fast) {
    const name = require('node:path').basename(process.argv[1] ?? 'tdocker').replace(/\.(m?js|cjs|ts)$/, '');
    fast.fastRun({ argv: process.argv.slice(2), name, env: process.env, cwd: process.cwd() }).then((r) => {
      if (r.declined !== undefined) {
        if (fastMode !== 'require') return full();
        process.stderr.write(`tdocker: the fast path declined: ${r.declined}\n`);
        process.exit(99);
      }
      // a signal that came meanwhile ends the command as the full path ends it: SIGINT and SIGTERM
      // silently with 128+n, SIGHUP and SIGQUIT by their default action
      const held = globalThis[Symbol.for('tdocker.heldSignals')];
      for (const s of held.pending) {
        if (s === 'SIGINT') process.exit(130);
        if (s === 'SIGTERM') process.exit(143);
        held.stop();
        process.kill(process.pid, s);
      }
      fast.writeOut(r.out);
      process.exit(r.status);
    }, full);
  } else full();
} else full();

function full() {
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
}
