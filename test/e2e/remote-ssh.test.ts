/**
 * ssh:// as docker does it: the system `ssh` (with the host aliases of its configuration) runs
 * `docker system dial-stdio` on the remote host, and every request, streamed and hijacked ones
 * included, travels over it. The remote is an sshd of the test's own on 127.0.0.1; compared with
 * docker over the same aliases. A second alias reaches a host whose `docker` is tdocker, so tdocker's
 * own `system dial-stdio` serves both clients.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { both, docker, tdocker, TDOCKER, DOCKER, TmuxSession, uniqueName, type RunOptions } from '../helpers/run.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

const haveSshd = existsSync('/usr/sbin/sshd');
let sshd: Sshd;
let env: Record<string, string | undefined>;
const containers: string[] = [];
const images: string[] = [];
const dirs: string[] = [];

before(async () => {
  if (!haveSshd) return;
  sshd = await startSshd();
  env = { PATH: sshd.path, DOCKER_HOST: 'ssh://tdremote', DOCKER_CONTEXT: undefined, DOCKER_TLS_VERIFY: undefined, DOCKER_CONFIG: mkdtempSync(join(tmpdir(), 'td-sshcfg-')) };
  dirs.push(env.DOCKER_CONFIG!);
});

after(async () => {
  if (containers.length) await docker(['rm', '-f', '-v', ...containers]);
  if (images.length) await docker(['rmi', '-f', ...images]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  if (sshd) await sshd.close();
});

async function same(args: string[], opts: RunOptions = {}): Promise<string> {
  const { ref, ours } = await both(args, { ...opts, env: { ...env, ...opts.env } });
  assert.equal(ours.stderr, ref.stderr, `stderr of ${args.join(' ')}`);
  assert.equal(ours.stdout, ref.stdout, `stdout of ${args.join(' ')}`);
  assert.equal(ours.code, ref.code, `status of ${args.join(' ')}`);
  return ours.stdout;
}

const skip = !haveSshd && 'no sshd: run test/setup/sshd.sh';

test('ssh: a host alias from the ssh configuration; ps, run -i, exec -i, logs -f, cp both ways', { skip }, async () => {
  assert.equal(await same(['version', '--format', '{{.Server.Os}}']), 'linux\n');
  await same(['ps', '-a', '--filter', 'name=^nosuchname$']);
  assert.equal(await same(['run', '--rm', '-i', 'busybox', 'sh', '-c', 'cat; exit 5'], { input: 'over ssh\n' }), 'over ssh\n');
  for (const run of [docker, tdocker]) {
    const name = uniqueName('ssh');
    containers.push(name);
    assert.equal((await run(['run', '-d', '--name', name, 'busybox', 'sleep', '60'], { env })).code, 0);
    const ex = await run(['exec', '-i', name, 'sh', '-c', 'cat; echo done'], { env, input: 'from stdin\n' });
    assert.equal(ex.stdout, 'from stdin\ndone\n');
    const dir = mkdtempSync(join(tmpdir(), 'td-sshcp-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'in.txt'), 'copied in\n');
    assert.equal((await run(['cp', join(dir, 'in.txt'), `${name}:/tmp/in.txt`], { env })).code, 0);
    assert.equal((await run(['cp', `${name}:/tmp/in.txt`, join(dir, 'out.txt')], { env })).code, 0);
    assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), 'copied in\n');
  }
  const name = uniqueName('ssh-logs');
  containers.push(name);
  await docker(['run', '--name', name, 'busybox', 'sh', '-c', 'echo a; echo b'], { env });
  assert.equal(await same(['logs', '-f', name]), 'a\nb\n');
});

test('ssh: build and events', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'td-sshbuild-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox\nCOPY f /f\n');
  writeFileSync(join(dir, 'f'), 'built over ssh\n');
  const tag = `${uniqueName('sshimg')}:1`;
  images.push(tag);
  const b = await tdocker(['build', '-q', '-t', tag, dir], { env });
  assert.equal(b.code, 0, b.stderr);
  assert.equal(await same(['run', '--rm', tag, 'cat', '/f']), 'built over ssh\n');
  // the classic builder, docker 28's own without buildx: the same notice and image ID (docker builds
  // it, tdocker's build of the same context finds every step in the cache)
  const classic = await same(['build', '-q', dir], { env: { DOCKER_BUILDKIT: '0' } });
  assert.match(classic, /^sha256:[0-9a-f]{64}\n$/);
  images.push(classic.trim());
  const since = String(Math.floor(Date.now() / 1000) - 1);
  const vol = uniqueName('sshvol');
  await docker(['volume', 'create', vol], { env });
  await docker(['volume', 'rm', vol], { env });
  const until = String(Math.floor(Date.now() / 1000) + 1);
  await same(['events', '--since', since, '--until', until, '--filter', `volume=${vol}`, '--format', '{{.Type}} {{.Action}} {{.Actor.ID}}']);
});

test('ssh: run -it in a pseudo-terminal: typed input, resize, exit status', { skip }, async () => {
  for (const bin of [DOCKER, TDOCKER]) {
    const name = uniqueName('ssh-tty');
    containers.push(name);
    const s = await TmuxSession.start(`env PATH=${sshd.path} DOCKER_HOST=ssh://tdremote ${bin} run -it --name ${name} busybox sh; echo "rc=$?"; sleep 30`, 90, 25);
    try {
      await s.waitFor(/#\s*$/m);
      await s.keys('echo typed-$((6*7))', 'Enter');
      await s.waitFor(/^typed-42\s*$/m);
      await s.resize(100, 30);
      // the resize travels as one more request (a new connection: a TLS handshake, an ssh login):
      // asked again until the container's terminal has it, on a loaded machine too
      for (let i = 0; ; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        await s.keys('clear; stty size', 'Enter');
        try {
          await s.waitFor(/^30 100\s*$/m, 3000);
          break;
        } catch (e) {
          if (i === 9) throw e;
        }
      }
      await s.keys('exit 3', 'Enter');
      await s.waitFor(/^rc=3$/m);
    } finally {
      await s.kill();
    }
  }
});

test('ssh: a remote host whose docker is tdocker serves both clients through tdocker system dial-stdio', { skip }, async () => {
  const e = { DOCKER_HOST: 'ssh://tdonly' };
  assert.equal(await same(['version', '--format', '{{.Server.Os}}'], { env: e }), 'linux\n');
  assert.equal(await same(['run', '--rm', '-i', 'busybox', 'cat'], { env: e, input: 'through dial-stdio\n' }), 'through dial-stdio\n');
  // dial-stdio itself: a request in, the engine's answer out, the end of stdin half-closes
  const r = await tdocker(['system', 'dial-stdio'], { input: 'GET /_ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', env: { DOCKER_HOST: undefined } });
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nOK$/);
});

test('ssh failures: a dead port, an unknown host, a password in the URL, a bad port, query parameters', { skip }, async () => {
  for (const host of ['ssh://root@127.0.0.1:1', 'ssh://nosuchhost.invalid', 'ssh://u:pw@127.0.0.1', 'ssh://127.0.0.1:x', 'ssh://127.0.0.1?a=b', 'ssh://']) {
    await same(['ps'], { env: { DOCKER_HOST: host } });
  }
  // no ssh on PATH (only docker and node), then an ssh that dies (exit 255 and its message)
  const bare = mkdtempSync(join(tmpdir(), 'td-nossh-'));
  dirs.push(bare);
  const onPath = (b: string): string => (b.includes('/') ? b : (process.env.PATH ?? '').split(':').map((d) => join(d, b)).find((f) => existsSync(f))!);
  for (const [name, target] of [['docker', onPath(DOCKER)], ['node', process.execPath]]) symlinkSync(target, join(bare, name));
  await same(['ps'], { env: { DOCKER_HOST: 'ssh://tdremote', PATH: bare } });
  // (after a second: one that exits before docker's first write makes docker say `write |1: broken pipe`)
  writeFileSync(join(bare, 'ssh'), '#!/bin/sh\n/bin/sleep 1\necho "kex_exchange_identification: read: Connection reset by peer" >&2\nexit 255\n', { mode: 0o755 });
  await same(['ps'], { env: { DOCKER_HOST: 'ssh://tdremote', PATH: bare } });
  // a context naming an ssh alias
  const cfg = mkdtempSync(join(tmpdir(), 'td-sshctx-'));
  dirs.push(cfg);
  const ce = { DOCKER_CONFIG: cfg, DOCKER_HOST: undefined };
  assert.equal((await docker(['context', 'create', 'sshctx', '--docker', 'host=ssh://tdremote'], { env: ce })).code, 0);
  assert.equal(await same(['--context', 'sshctx', 'version', '--format', '{{.Server.Os}} {{.Client.Context}}'], { env: ce }), 'linux sshctx\n');
});
