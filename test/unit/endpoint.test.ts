import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { parseHost, resolveEndpoint, resolveContextName, type GlobalOptions } from '../../src/cli/endpoint.js';

const none = (o: Partial<GlobalOptions> = {}): GlobalOptions => ({ hosts: [], tls: false, tlsVerify: false, tlsFlagsSet: new Set(), ...o });

test('host addresses are completed as docker does', () => {
  assert.equal(parseHost('', false), 'unix:///var/run/docker.sock');
  assert.equal(parseHost('unix://', false), 'unix:///var/run/docker.sock');
  assert.equal(parseHost('tcp://1.2.3.4', false), 'tcp://1.2.3.4:2375');
  assert.equal(parseHost('tcp://1.2.3.4', true), 'tcp://1.2.3.4:2376');
  assert.equal(parseHost('1.2.3.4:99', false), 'tcp://1.2.3.4:99');
  assert.equal(parseHost(':2375', false), 'tcp://127.0.0.1:2375');
  assert.throws(() => parseHost('foo://bar', false), /invalid bind address format: foo:\/\/bar/);
});

test('context name: --context, then -H, DOCKER_HOST, DOCKER_CONTEXT, currentContext', () => {
  assert.equal(resolveContextName(none({ context: 'a' }), { currentContext: 'b' }, {}), 'a');
  assert.equal(resolveContextName(none({ hosts: ['unix:///x'] }), { currentContext: 'b' }, { DOCKER_CONTEXT: 'c' }), 'default');
  assert.equal(resolveContextName(none(), { currentContext: 'b' }, { DOCKER_HOST: 'unix:///x', DOCKER_CONTEXT: 'c' }), 'default');
  assert.equal(resolveContextName(none(), { currentContext: 'b' }, { DOCKER_CONTEXT: 'c' }), 'c');
  assert.equal(resolveContextName(none(), { currentContext: 'b' }, {}), 'b');
  assert.equal(resolveContextName(none(), {}, {}), 'default');
});

test('endpoint from -H, DOCKER_HOST and TLS settings', () => {
  assert.equal(resolveEndpoint(none(), {}, '/nonexistent', {}).host, 'unix:///var/run/docker.sock');
  assert.equal(resolveEndpoint(none({ hosts: ['tcp://h:1'] }), {}, '/nonexistent', {}).host, 'tcp://h:1');
  assert.equal(resolveEndpoint(none(), {}, '/nonexistent', { DOCKER_HOST: 'unix:///tmp/d.sock' }).host, 'unix:///tmp/d.sock');
  // docker reads the CA when TLS is on: a missing one is an error before anything is dialled
  assert.throws(() => resolveEndpoint(none(), {}, '/nonexistent', { DOCKER_HOST: 'tcp://h', DOCKER_TLS_VERIFY: 'yes', DOCKER_CERT_PATH: '/nonexistent' }),
    /^Error: unable to resolve docker endpoint: open \/nonexistent\/ca.pem: no such file or directory$/);
  const certs = mkdtempSync(join(tmpdir(), 'td-certs-'));
  writeFileSync(join(certs, 'ca.pem'), 'x');
  const tls = resolveEndpoint(none(), {}, '/nonexistent', { DOCKER_HOST: 'tcp://h', DOCKER_TLS_VERIFY: 'yes', DOCKER_CERT_PATH: certs });
  assert.equal(tls.host, 'tcp://h:2376');
  assert.equal(tls.tls?.skipVerify, false);
  assert.equal(tls.tls?.cert, undefined);
  // --tlsverify=false given at all turns TLS on, without verification
  const off = resolveEndpoint(none({ tlsFlagsSet: new Set(['tlsverify']) }), {}, '/nonexistent', { DOCKER_CERT_PATH: certs });
  assert.equal(off.tls?.skipVerify, true);
  assert.equal(off.host, 'unix:///var/run/docker.sock');
  assert.throws(() => resolveEndpoint(none({ hosts: ['unix:///a', 'unix:///b'] }), {}, '/x', {}), /Specify only one -H/);
  assert.throws(() => resolveEndpoint(none({ context: 'a', hosts: ['unix:///a'] }), {}, '/x', {}), /cannot specify both --host and --context/);
});

test('named contexts are read from the context store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'td-ctx-'));
  const digest = createHash('sha256').update('remote').digest('hex');
  mkdirSync(join(dir, 'contexts', 'meta', digest), { recursive: true });
  writeFileSync(
    join(dir, 'contexts', 'meta', digest, 'meta.json'),
    JSON.stringify({ Name: 'remote', Metadata: {}, Endpoints: { docker: { Host: 'tcp://10.9.8.7:2375', SkipTLSVerify: false } } }),
  );
  const ep = resolveEndpoint(none({ context: 'remote' }), {}, dir, {});
  assert.equal(ep.host, 'tcp://10.9.8.7:2375');
  assert.equal(ep.context, 'remote');
  assert.throws(
    () => resolveEndpoint(none({ context: 'nope' }), {}, dir, {}),
    (e: Error) => e.message.startsWith('unable to resolve docker endpoint: context "nope": context not found: open ') && e.message.endsWith('/meta.json: no such file or directory'),
  );
});
