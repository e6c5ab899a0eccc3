/**
 * Registries against the local docker-registry (127.0.0.1:5000, htpasswd auth; test/engine.sh starts
 * it). Every test uses its own DOCKER_CONFIG so credentials never leak between tests.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, tdocker, uniqueName, asDocker } from '../helpers/run.js';

const REG = '127.0.0.1:5000';
const USER = 'testuser';
const PASS = 'testpassword';
const images: string[] = [];
after(async () => {
  if (images.length) await docker(['rmi', '-f', ...images]);
});

const configDir = (): string => mkdtempSync(join(tmpdir(), 'tdcfg-'));

test('login: wrong then right password; config.json as docker writes it; docker uses it and the other way round', async () => {
  const ours = configDir();
  const theirs = configDir();
  const env = (d: string): Record<string, string> => ({ DOCKER_CONFIG: d });
  const bad = await tdocker(['login', REG, '-u', USER, '--password-stdin'], { env: env(ours), input: 'wrong\n' });
  const badRef = await docker(['login', REG, '-u', USER, '--password-stdin'], { env: env(theirs), input: 'wrong\n' });
  assert.equal(bad.code, 1);
  assert.equal(bad.stderr, badRef.stderr);
  const ok = await tdocker(['login', REG, '-u', USER, '--password-stdin'], { env: env(ours), input: `${PASS}\n` });
  const okRef = await docker(['login', REG, '-u', USER, '--password-stdin'], { env: env(theirs), input: `${PASS}\n` });
  assert.equal(ok.stdout, 'Login Succeeded\n');
  assert.equal(ok.stderr.replaceAll(ours, theirs), okRef.stderr);
  assert.equal(readFileSync(join(ours, 'config.json'), 'utf8'), readFileSync(join(theirs, 'config.json'), 'utf8'));
  assert.equal(statSync(join(ours, 'config.json')).mode & 0o777, 0o600);
  // credentials saved by tdocker serve docker, and docker's serve tdocker
  const img = `${REG}/${uniqueName('cfgx')}:1`;
  images.push(img);
  await docker(['tag', 'busybox', img]);
  assert.equal((await docker(['push', img], { env: env(ours) })).code, 0);
  await docker(['rmi', img]);
  assert.equal((await tdocker(['pull', img], { env: env(theirs) })).code, 0);
  const warn = await tdocker(['login', REG, '-u', USER, '-p', PASS], { env: env(ours) });
  assert.match(warn.stderr, /^WARNING! Using --password via the CLI is insecure\. Use --password-stdin\.\n/);
  const tty = await tdocker(['login', REG], { env: env(configDir()) });
  assert.equal(tty.stderr, 'Error: Cannot perform an interactive login from a non TTY device\n');
});

test('push, remove, pull back, run pulls automatically, logout then a denied pull', async () => {
  const cfg = configDir();
  const env = { DOCKER_CONFIG: cfg };
  assert.equal((await tdocker(['login', REG, '-u', USER, '--password-stdin'], { env, input: PASS })).code, 0);
  const repo = `${REG}/${uniqueName('push')}`;
  const img = `${repo}:1`;
  images.push(img);
  await docker(['tag', 'busybox', img]);
  const push = await tdocker(['push', img], { env });
  assert.equal(push.code, 0, push.stderr);
  assert.match(push.stdout, new RegExp(`^The push refers to repository \\[${repo.replace(/[.]/g, '\\.')}\\]\\n[0-9a-f]{12}: (Preparing|Layer already exists|Pushed)`));
  assert.match(push.stdout, /\n1: digest: sha256:[0-9a-f]{64} size: \d+\n$/);
  await docker(['rmi', img]);
  const pull = await tdocker(['pull', img], { env });
  assert.equal(pull.code, 0, pull.stderr);
  assert.match(pull.stdout, new RegExp(`^1: Pulling from ${repo.slice(REG.length + 1)}\\n[\\s\\S]*Digest: sha256:[0-9a-f]{64}\\nStatus: Downloaded newer image for ${img.replace(/[.]/g, '\\.')}\\n${img.replace(/[.]/g, '\\.')}\\n$`));
  const again = await tdocker(['pull', '-q', img], { env });
  assert.equal(again.stdout, `${img}\n`);
  await docker(['rmi', img]);
  const run = await tdocker(['run', '--rm', img, 'echo', 'pulled-and-ran'], { env });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'pulled-and-ran\n');
  assert.match(run.stderr, new RegExp(`^Unable to find image '${img.replace(/[.]/g, '\\.')}' locally\\n`));
  assert.equal((await tdocker(['logout', REG], { env })).stdout, `Removing login credentials for ${REG}\n`);
  await docker(['rmi', img]);
  const denied = await tdocker(['pull', img], { env });
  const deniedRef = await docker(['pull', img], { env });
  assert.equal(denied.code, 1);
  assert.equal(asDocker(denied.stderr), deniedRef.stderr);
});

test('plain pull output is docker\'s, and errors in the stream are the command\'s', async () => {
  const cfg = configDir();
  const env = { DOCKER_CONFIG: cfg };
  await tdocker(['login', REG, '-u', USER, '--password-stdin'], { env, input: PASS });
  const img = `${REG}/${uniqueName('same')}:1`;
  images.push(img);
  await docker(['tag', 'busybox', img]);
  await docker(['push', img], { env });
  await docker(['rmi', img]);
  const ref = await docker(['pull', img], { env });
  await docker(['rmi', img]);
  const ours = await tdocker(['pull', img], { env });
  assert.equal(ours.stdout, ref.stdout);
  const missing = await tdocker(['pull', `${REG}/nosuchrepo-td:1`], { env });
  const missingRef = await docker(['pull', `${REG}/nosuchrepo-td:1`], { env });
  assert.equal(missing.stdout, missingRef.stdout);
  assert.equal(missing.stderr, missingRef.stderr);
  assert.equal(missing.code, missingRef.code);
});

test('a credential helper stores, gives back and erases the credentials', async () => {
  const cfg = configDir();
  const bin = mkdtempSync(join(tmpdir(), 'tdhelper-'));
  const store = join(bin, 'store.json');
  writeFileSync(join(bin, 'docker-credential-tdtest'), `#!/bin/sh
store="${store}"
case "$1" in
  store) cat > "$store" ;;
  get) read server; if [ -f "$store" ]; then cat "$store"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  erase) rm -f "$store" ;;
  list) echo '{}' ;;
esac
`);
  chmodSync(join(bin, 'docker-credential-tdtest'), 0o755);
  writeFileSync(join(cfg, 'config.json'), JSON.stringify({ credsStore: 'tdtest' }));
  const env = { DOCKER_CONFIG: cfg, PATH: `${bin}:${process.env.PATH}` };
  const login = await tdocker(['login', REG, '-u', USER, '--password-stdin'], { env, input: PASS });
  assert.equal(login.code, 0, login.stderr);
  assert.equal(login.stderr, '');
  assert.deepEqual(JSON.parse(readFileSync(store, 'utf8')), { ServerURL: REG, Username: USER, Secret: PASS });
  assert.equal(JSON.parse(readFileSync(join(cfg, 'config.json'), 'utf8')).auths[REG].auth, undefined);
  const img = `${REG}/${uniqueName('helper')}:1`;
  images.push(img);
  await docker(['tag', 'busybox', img]);
  const push = await tdocker(['push', img], { env });
  assert.equal(push.code, 0, push.stderr);
  await tdocker(['logout', REG], { env });
  assert.equal(existsSync(store), false);
});

test('content trust: with DOCKER_CONTENT_TRUST on, pull, push, run, create and build refuse rather than skip verification', async () => {
  const refusal = (action: string): string =>
    `tdocker does not support content trust (image ${action} with Notary): unset DOCKER_CONTENT_TRUST or pass --disable-content-trust\n`;
  const on = { DOCKER_CONTENT_TRUST: '1' };
  for (const args of [['pull', `${REG}/td-trust:1`], ['run', '--rm', 'busybox', 'true'], ['create', 'busybox'], ['build', '-']]) {
    const r = await tdocker(args, { env: on, input: 'FROM busybox\n' });
    assert.deepEqual([r.code, r.stdout, r.stderr], [1, '', refusal('verification')], args.join(' '));
  }
  const push = await tdocker(['push', `${REG}/td-trust:1`], { env: { DOCKER_CONTENT_TRUST: 'yes' } });
  assert.deepEqual([push.code, push.stderr], [1, refusal('signing')]);
  // --disable-content-trust, or a false value, turns it off; --disable-content-trust=false turns it on
  const off = await tdocker(['run', '--rm', '--disable-content-trust', 'busybox', 'echo', 'unverified'], { env: on });
  assert.deepEqual([off.code, off.stdout], [0, 'unverified\n']);
  const zero = await tdocker(['run', '--rm', 'busybox', 'echo', 'zero'], { env: { DOCKER_CONTENT_TRUST: 'false' } });
  assert.deepEqual([zero.code, zero.stdout], [0, 'zero\n']);
  const flag = await tdocker(['pull', '--disable-content-trust=false', `${REG}/td-trust:1`], { env: { DOCKER_CONTENT_TRUST: undefined } });
  assert.deepEqual([flag.code, flag.stderr], [1, refusal('verification')]);
});
