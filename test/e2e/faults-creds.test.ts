/**
 * Credentials, differential with docker: a credsStore helper (a docker-credential-* script of the
 * test's own speaking the store/get/erase/list protocol) receives the login and gives it back to push,
 * config.json keeps its other keys and mode 0600 after login and logout, and neither -D nor any
 * message prints the password.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, runProgram, tdocker, DOCKER, TDOCKER } from '../helpers/run.js';

const REG = '127.0.0.1:5000';
const PASS = 'testpassword';
const root = mkdtempSync(join(tmpdir(), 'tdcreds-'));
after(() => rmSync(root, { recursive: true, force: true }));

// the helper keeps one JSON object per server in $TDCREDS_STORE/<n>.json and logs each action
const helper = join(root, 'bin', 'docker-credential-tdtest');
mkdirSync(join(root, 'bin'));
writeFileSync(helper, `#!/bin/sh
set -e
act="$1"; in=$(cat)
echo "$act" >> "$TDCREDS_STORE/log"
key=$(printf %s "$in" | sed -n 's/.*"ServerURL":"\\([^"]*\\)".*/\\1/p')
[ -n "$key" ] || key="$in"
f="$TDCREDS_STORE/$(printf %s "$key" | tr -c 'A-Za-z0-9' _).json"
case "$act" in
  store) printf %s "$in" > "$f" ;;
  get) if [ -f "$f" ]; then sed 's/"ServerURL":"[^"]*",//' "$f"; else echo "credentials not found in native keychain"; exit 1; fi ;;
  erase) rm -f "$f" ;;
  list) printf '{}' ;;
esac
`);
chmodSync(helper, 0o755);

function setup(who: string): { cfg: string; store: string; env: Record<string, string> } {
  const cfg = join(root, who, 'cfg');
  const store = join(root, who, 'store');
  for (const d of [cfg, store]) rmSync(d, { recursive: true, force: true });
  for (const d of [cfg, store]) mkdirSync(d, { recursive: true });
  writeFileSync(join(cfg, 'config.json'), JSON.stringify({ credsStore: 'tdtest', detachKeys: 'ctrl-a,a', psFormat: '{{.ID}}', proxies: { default: { noProxy: 'x' } } }, null, '\t'));
  chmodSync(join(cfg, 'config.json'), 0o644);
  return { cfg, store, env: { DOCKER_CONFIG: cfg, TDCREDS_STORE: store, PATH: `${join(root, 'bin')}:${process.env.PATH}` } };
}

test('login and logout through a credsStore helper: the same helper calls, config.json and mode as docker', async () => {
  const results = [];
  for (const [who, prog] of [['docker', DOCKER], ['tdocker', TDOCKER]] as const) {
    const s = setup(who);
    const login = await runProgram(prog, ['-D', 'login', REG, '-u', 'testuser', '--password-stdin'], { env: s.env, input: `${PASS}\n` });
    assert.equal(login.code, 0, login.stderr);
    assert.ok(!login.stdout.includes(PASS) && !login.stderr.includes(PASS), `${who} printed the password`);
    const stored = JSON.parse(readFileSync(join(s.store, '127_0_0_1_5000.json'), 'utf8'));
    const afterLogin = JSON.parse(readFileSync(join(s.cfg, 'config.json'), 'utf8'));
    const mode = statSync(join(s.cfg, 'config.json')).mode & 0o777;
    const logout = await runProgram(prog, ['logout', REG], { env: s.env });
    assert.equal(logout.code, 0, logout.stderr);
    const afterLogout = JSON.parse(readFileSync(join(s.cfg, 'config.json'), 'utf8'));
    const log = readFileSync(join(s.store, 'log'), 'utf8').split('\n').filter(Boolean);
    results.push({ stored, afterLogin, afterLogout, mode, erased: !existsSync(join(s.store, '127_0_0_1_5000.json')), calls: [...new Set(log)].sort(), stdout: login.stdout.replace(/tdocker/g, 'docker') });
  }
  assert.deepEqual(results[1], results[0]);
  assert.equal(results[0].stored.Secret, PASS);
  assert.equal(results[0].afterLogin.detachKeys, 'ctrl-a,a');
  assert.equal(results[0].erased, true);
});

test('a wrong password: the same message and status as docker, the password never printed', async () => {
  const ref = await docker(['-D', 'login', REG, '-u', 'testuser', '--password-stdin'], { env: setup('docker').env, input: 'wrong-secret-xyz\n' });
  const ours = await tdocker(['-D', 'login', REG, '-u', 'testuser', '--password-stdin'], { env: setup('tdocker').env, input: 'wrong-secret-xyz\n' });
  assert.equal(ours.code, ref.code);
  for (const r of [ref, ours]) assert.ok(!r.stderr.includes('wrong-secret-xyz') && !r.stdout.includes('wrong-secret-xyz'));
});

test('login into a config directory without config.json: a new file of mode 0600 holding only auths, as docker', async () => {
  const seen = [];
  for (const [who, prog] of [['docker', DOCKER], ['tdocker', TDOCKER]] as const) {
    const cfg = join(root, `${who}-fresh`);
    const r = await runProgram(prog, ['login', REG, '-u', 'testuser', '--password-stdin'], { env: { DOCKER_CONFIG: cfg }, input: `${PASS}\n` });
    assert.equal(r.code, 0, r.stderr);
    seen.push({ mode: statSync(join(cfg, 'config.json')).mode & 0o777, keys: Object.keys(JSON.parse(readFileSync(join(cfg, 'config.json'), 'utf8'))) });
  }
  assert.deepEqual(seen[1], seen[0]);
  assert.equal(seen[0].mode, 0o600);
});
