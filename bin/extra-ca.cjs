'use strict';
// NODE_EXTRA_CA_CERTS, taken out of node's start-up by bin/tdocker (it makes node parse ~140 bundled
// roots and the file before any script runs): back in the environment for child processes, and added
// to the roots of every TLS context made without a `ca` of its own, from the first load of tls, https
// or http2 (ours or dockerode's, through require) or the first fetch() call. Used by bin/launch.cjs
// and, inlined, by the startup snapshot's main (bin/snapshot-tail.cjs).
module.exports = function trustExtraCa() {
  const extraCa = process.env.TDOCKER_EXTRA_CA_CERTS;
  if (!extraCa) return;
  const { readFileSync } = require('node:fs');
  const { Module } = require('node:module');
  delete process.env.TDOCKER_EXTRA_CA_CERTS;
  process.env.NODE_EXTRA_CA_CERTS = extraCa;
  let patched = false;
  const trustExtra = () => {
    if (patched) return;
    patched = true;
    const tls = require('node:tls');
    let extra;
    try {
      extra = readFileSync(extraCa, 'latin1');
    } catch (e) {
      process.stderr.write(`Warning: Ignoring extra certs from \`${extraCa}\`, load failed: ${e.message}\n`);
      return;
    }
    let ca;
    const create = tls.createSecureContext;
    tls.createSecureContext = function createSecureContext(options) {
      if (options?.ca === undefined) options = { ...options, ca: (ca ??= [...tls.rootCertificates, extra]) };
      return create.call(this, options);
    };
  };
  const load = Module._load;
  Module._load = function _load(request, ...rest) {
    if (!patched && /^(node:)?(tls|https|http2)$/.test(request)) trustExtra();
    return load.call(this, request, ...rest);
  };
  const nativeFetch = globalThis.fetch;
  if (nativeFetch) {
    globalThis.fetch = function fetch(...args) {
      trustExtra();
      return nativeFetch.apply(this, args);
    };
  }
};
