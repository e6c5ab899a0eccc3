/**
 * Every kind of request over TCP+TLS, against docker over the same endpoint: a TLS-terminating proxy
 * of the test's own on 127.0.0.1 (throwaway CA, client certificates required) in front of the engine
 * socket. Streams (run -i, run -it in a pseudo-terminal, exec -i, logs -f, build, cp both ways, events)
 * and docker's failure texts (wrong CA, no client key, hostname mismatch, refused port, unknown host,
 * plain HTTP to a TLS port, a missing CA file, an unreadable CA, --tlsverify=false).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { both, docker, tdocker, TDOCKER, DOCKER, TmuxSession, uniqueName, type RunOptions } from '../helpers/run.js';
import { startTlsEndpoint, type TlsEndpoint } from '../helpers/tlsproxy.js';

let ep: TlsEndpoint;
let env: Record<string, string | undefined>;
const containers: string[] = [];
const images: string[] = [];
const dirs: string[] = [];

before(async () => {
  ep = await startTlsEndpoint();
  env = { DOCKER_HOST: ep.host, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: ep.dir, DOCKER_CONTEXT: undefined, DOCKER_CONFIG: mkdtempSync(join(tmpdir(), 'td-tlscfg-')) };
  dirs.push(env.DOCKER_CONFIG!);
});

after(async () => {
  if (containers.length) await docker(['rm', '-f', '-v', ...containers]);
  if (images.length) await docker(['rmi', '-f', ...images]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  await ep.close();
});

async function same(args: string[], opts: RunOptions = {}): Promise<string> {
  const { ref, ours } = await both(args, { ...opts, env: { ...env, ...opts.env } });
  assert.equal(ours.stderr, ref.stderr, `stderr of ${args.join(' ')}`);
  assert.equal(ours.stdout, ref.stdout, `stdout of ${args.join(' ')}`);
  assert.equal(ours.code, ref.code, `status of ${args.join(' ')}`);
  return ours.stdout;
}

test('TLS: version, ps, run --rm with piped stdin, exec -i, logs -f, cp both ways', async () => {
  assert.equal(await same(['version', '--format', '{{.Server.Os}}']), 'linux\n');
  await same(['ps', '-a', '--filter', 'name=^nosuchname$', '--format', '{{.Names}}']);
  assert.equal(await same(['run', '--rm', '-i', 'busybox', 'sh', '-c', 'cat; exit 4'], { input: 'piped\nlines\n' }), 'piped\nlines\n');
  for (const client of ['docker', 'tdocker']) {
    const run = client === 'docker' ? docker : tdocker;
    const name = uniqueName('tls-' + client);
    containers.push(name);
    assert.equal((await run(['run', '-d', '--name', name, 'busybox', 'sh', '-c', 'echo one; echo two >&2; sleep 1; echo three; sleep 60'], { env })).code, 0);
    const logs = await run(['logs', '-f', '--until', '0s', name], { env });
    assert.equal(logs.code, 0);
    const ex = await run(['exec', '-i', name, 'sh', '-c', 'cat; echo done'], { env, input: 'from stdin\n' });
    assert.equal(ex.stdout, 'from stdin\ndone\n');
    const dir = mkdtempSync(join(tmpdir(), 'td-tlscp-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'in.txt'), 'copied in\n');
    assert.equal((await run(['cp', join(dir, 'in.txt'), `${name}:/tmp/in.txt`], { env })).code, 0);
    assert.equal((await run(['cp', `${name}:/tmp/in.txt`, join(dir, 'out.txt')], { env })).code, 0);
    assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), 'copied in\n');
  }
  // logs -f of a container that ends: the whole stream, then the end
  const name = uniqueName('tls-logs');
  containers.push(name);
  await docker(['run', '--name', name, 'busybox', 'sh', '-c', 'echo a; echo b'], { env });
  assert.equal(await same(['logs', '-f', name]), 'a\nb\n');
});

test('TLS: build and events', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'td-tlsbuild-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox\nCOPY f /f\nRUN cat /f\n');
  // content of its own: a step cached by an earlier run would print no output (BuildKit says CACHED)
  const text = `built over tls ${uniqueName('tlsrun')}\n`;
  writeFileSync(join(dir, 'f'), text);
  const tag = `${uniqueName('tlsimg')}:1`;
  images.push(tag);
  const b = await tdocker(['build', '-t', tag, dir], { env });
  assert.equal(b.code, 0, b.stderr);
  // the classic builder prints the step's output on stdout, BuildKit (the default) in its progress on stderr
  assert.ok((b.stdout + b.stderr).includes(text), b.stdout + b.stderr);
  assert.equal((await same(['run', '--rm', tag, 'cat', '/f'])), text);
  // the classic builder, docker 28's own without buildx: the same notice and image ID (docker builds
  // it, tdocker's build of the same context finds every step in the cache)
  const classic = await same(['build', '-q', dir], { env: { DOCKER_BUILDKIT: '0' } });
  assert.match(classic, /^sha256:[0-9a-f]{64}\n$/);
  images.push(classic.trim());
  const since = String(Math.floor(Date.now() / 1000) - 1);
  const vol = uniqueName('tlsvol');
  await docker(['volume', 'create', vol], { env });
  await docker(['volume', 'rm', vol], { env });
  const until = String(Math.floor(Date.now() / 1000) + 1);
  await same(['events', '--since', since, '--until', until, '--filter', `volume=${vol}`, '--format', '{{.Type}} {{.Action}} {{.Actor.ID}}']);
});

test('TLS: run -it in a pseudo-terminal: typed input, resize, exit status', async () => {
  for (const bin of [DOCKER, TDOCKER]) {
    const name = uniqueName('tls-tty');
    containers.push(name);
    const e = Object.entries(env).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`).join(' ');
    const s = await TmuxSession.start(`env ${e} ${bin} run -it --name ${name} busybox sh; echo "rc=$?"; sleep 30`, 90, 25);
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

test('TLS failures: docker\'s texts and statuses', async () => {
  const d = ep.dir;
  const hostOnly = { DOCKER_TLS_VERIFY: undefined, DOCKER_CERT_PATH: undefined, DOCKER_HOST: undefined };
  const cases: string[][] = [
    // no client certificate: the server asks for one
    ['--tlsverify', '--tlscacert', join(d, 'ca.pem'), '-H', ep.host, 'ps'],
    // a CA that did not sign the server's certificate
    ['--tlsverify', '--tlscacert', ep.otherCa, '--tlscert', join(d, 'cert.pem'), '--tlskey', join(d, 'key.pem'), '-H', ep.host, 'ps'],
    // a key file that is not there
    ['--tlsverify', '--tlscacert', join(d, 'ca.pem'), '--tlscert', join(d, 'cert.pem'), '--tlskey', join(d, 'nokey.pem'), '-H', ep.host, 'ps'],
    // the certificate names 127.0.0.1 only
    ['--tlsverify', '--tlscacert', join(d, 'ca.pem'), '--tlscert', join(d, 'cert.pem'), '--tlskey', join(d, 'key.pem'), '-H', `tcp://localhost:${ep.port}`, 'ps'],
    // --tls without verification reaches it
    ['--tls', '--tlscacert', join(d, 'ca.pem'), '--tlscert', join(d, 'cert.pem'), '--tlskey', join(d, 'key.pem'), '-H', `tcp://localhost:${ep.port}`, 'version', '--format', '{{.Server.Os}}'],
    // a refused port, an unknown host, plain HTTP to the TLS port
    ['--tlsverify', '--tlscacert', join(d, 'ca.pem'), '-H', 'tcp://127.0.0.1:1', 'ps'],
    ['-H', 'tcp://nosuchhost.invalid:2375', 'ps'],
    ['--tlsverify', '--tlscacert', join(d, 'ca.pem'), '--tlscert', join(d, 'cert.pem'), '--tlskey', join(d, 'key.pem'), '-H', 'tcp://nosuchhost.invalid:2376', 'ps'],
    // a certificate without its key (the default key.pem is not there)
    ['--tlsverify', '--tlscacert', join(d, 'ca.pem'), '--tlscert', join(d, 'cert.pem'), '-H', ep.host, 'ps'],
    // the client's key given for the certificate: not its pair
    ['--tlsverify', '--tlscacert', join(d, 'ca.pem'), '--tlscert', join(d, 'cert.pem'), '--tlskey', join(d, 'server-key.pem'), '-H', ep.host, 'ps'],
    ['-H', ep.host, 'ps'],
    // a CA that is not a certificate, a missing default CA, --tlsverify=false given at all
    ['--tlsverify', '--tlscacert', join(d, 'server.ext'), '-H', ep.host, 'ps'],
    ['--tlsverify', '--tlscacert', join(d, 'missing-ca.pem'), '-H', ep.host, 'ps'],
    ['--tlsverify=false', 'ps'],
    ['--tls', 'context', 'ls'],
  ];
  for (const args of cases) await same(args, { env: { ...hostOnly, DOCKER_CERT_PATH: join(d, 'nothing-here') } });
});

test('TLS through a context made by docker, and one made by tdocker', async () => {
  const d = ep.dir;
  const cfg = mkdtempSync(join(tmpdir(), 'td-tlsctx-'));
  dirs.push(cfg);
  const e = { DOCKER_CONFIG: cfg, DOCKER_HOST: undefined, DOCKER_TLS_VERIFY: undefined, DOCKER_CERT_PATH: undefined };
  const spec = `host=${ep.host},ca=${join(d, 'ca.pem')},cert=${join(d, 'cert.pem')},key=${join(d, 'key.pem')}`;
  assert.equal((await docker(['context', 'create', 'tls-from-ref', '--docker', spec], { env: e })).code, 0);
  assert.equal((await tdocker(['context', 'create', 'tls-from-ours', '--docker', spec], { env: e })).code, 0);
  for (const c of ['tls-from-ref', 'tls-from-ours']) {
    assert.equal(await same(['--context', c, 'version', '--format', '{{.Server.Os}} {{.Client.Context}}'], { env: e }), `linux ${c}\n`);
    await same(['--context', c, 'ps', '--filter', 'name=^nosuchname$'], { env: e });
  }
  // a context whose CA is wrong, and one that skips verification
  assert.equal((await docker(['context', 'create', 'tls-wrong-ca', '--docker', `host=${ep.host},ca=${ep.otherCa},cert=${join(d, 'cert.pem')},key=${join(d, 'key.pem')}`], { env: e })).code, 0);
  await same(['--context', 'tls-wrong-ca', 'ps'], { env: e });
  assert.equal((await docker(['context', 'create', 'tls-skip', '--docker', `host=tcp://localhost:${ep.port},cert=${join(d, 'cert.pem')},key=${join(d, 'key.pem')},skip-tls-verify=true`], { env: e })).code, 0);
  assert.equal(await same(['--context', 'tls-skip', 'version', '--format', '{{.Server.Os}}'], { env: e }), 'linux\n');
});
