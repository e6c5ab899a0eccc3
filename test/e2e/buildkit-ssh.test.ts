import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { both, docker, runProgram, tdocker, uniqueName } from '../helpers/run.js';

// --ssh (the session's SSH forwarding) and --metadata-file, against Debian's docker 20.10 client with
// DOCKER_BUILDKIT=1; build --help against docker 28 in each builder mode.
const P = uniqueName('tdbkssh');
const tmp = mkdtempSync(join(tmpdir(), 'tdbkssh-'));
const REF = '/usr/bin/docker';
const images: string[] = [];
let agentPid = 0;
let agentSock = '';
const key = join(tmp, 'id_ed25519');
const ctx = join(tmp, 'ctx');

before(() => {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', P, '-f', key]);
  // an agent of the test's own, holding the key
  const out = execFileSync('ssh-agent', ['-s', '-a', join(tmp, 'agent.sock')], { encoding: 'utf8' });
  agentSock = /SSH_AUTH_SOCK=([^;]+);/.exec(out)![1];
  agentPid = Number(/SSH_AGENT_PID=(\d+);/.exec(out)![1]);
  execFileSync('ssh-add', [key], { env: { ...process.env, SSH_AUTH_SOCK: agentSock }, stdio: 'ignore' });
  // the host's ssh-add with its libraries, run in busybox by the dynamic loader
  mkdirSync(join(ctx, 'lib'), { recursive: true });
  copyFileSync('/usr/bin/ssh-add', join(ctx, 'ssh-add'));
  const ldd = execFileSync('ldd', ['/usr/bin/ssh-add'], { encoding: 'utf8' });
  for (const m of ldd.matchAll(/(\/lib[^\s]*\.so[^\s]*)/g)) copyFileSync(m[1], join(ctx, 'lib', basename(m[1])));
  const add = '/t/lib/ld-linux-x86-64.so.2 --library-path /t/lib /t/ssh-add';
  writeFileSync(
    join(ctx, 'Dockerfile'),
    `FROM busybox\nCOPY . /t\nARG NONCE\nRUN --mount=type=ssh echo "sock=$SSH_AUTH_SOCK" && ${add} -l\nRUN --mount=type=ssh,id=filekey ${add} -l\nRUN ${add} -l 2>&1 || echo "no agent: $?"\n`,
  );
});

after(async () => {
  if (agentPid) process.kill(agentPid);
  for (const i of images) await docker(['rmi', '-f', i]);
  rmSync(tmp, { recursive: true, force: true });
});

/** the RUN steps' output lines, in step order */
function runOutput(stderr: string): string[] {
  const steps = new Map<string, string[]>();
  let cur = '';
  for (const l of stderr.split('\n')) {
    const h = /^#(\d+) \[\d\/\d\] RUN/.exec(l);
    if (h) {
      cur = l.replace(/^#\d+ /, '');
      steps.set(cur, []);
      continue;
    }
    const m = /^#\d+ \d+\.\d+ (.*)$/.exec(l);
    if (m && cur) steps.get(cur)!.push(m[1]);
  }
  return [...steps].map(([h, ls]) => [h, ...ls].join('\n'));
}

test('--ssh default (the agent at SSH_AUTH_SOCK) and --ssh ID=KEYFILE: RUN --mount=type=ssh lists the same keys as under docker 20.10; without the mount there is no agent', async () => {
  const env = { DOCKER_BUILDKIT: '1', SSH_AUTH_SOCK: agentSock };
  const args = (who: string): string[] => ['build', '--progress', 'plain', '--no-cache', '--build-arg', `NONCE=${who}`, '--ssh', 'default', '--ssh', `filekey=${key}`, '-t', `${P}-${who}`, '.'];
  images.push(`${P}-ref`, `${P}-ours`);
  const ref = await runProgram(REF, args('ref'), { cwd: ctx, env, timeout: 120_000 });
  const ours = await tdocker(args('ours'), { cwd: ctx, env, timeout: 120_000 });
  assert.equal(ref.code, 0, ref.stderr);
  assert.equal(ours.code, 0, ours.stderr);
  const fp = execFileSync('ssh-keygen', ['-l', '-f', key], { encoding: 'utf8' }).split(' ')[1];
  const want = runOutput(ref.stderr);
  // the agent's key with its comment; the key file's served from memory without one (Go's keyring)
  assert.match(want.join('\n'), new RegExp(`sock=/run/buildkit/ssh_agent.0\n256 ${fp.replace(/[+/]/g, '\\$&')} ${P} \\(ED25519\\)`));
  assert.deepEqual(runOutput(ours.stderr), want);
});

test('--ssh errors as docker 20.10: no SSH_AUTH_SOCK, a missing path, a file that is no key; a build requiring an ID not given', async () => {
  const env = { DOCKER_BUILDKIT: '1', SSH_AUTH_SOCK: '' };
  writeFileSync(join(tmp, 'notakey'), 'hello\n');
  for (const spec of ['default', `k=${join(tmp, 'none')}`, `k=${join(tmp, 'notakey')}`]) {
    const ref = await runProgram(REF, ['build', '--ssh', spec, '.'], { cwd: ctx, env });
    const ours = await tdocker(['build', '--ssh', spec, '.'], { cwd: ctx, env });
    assert.equal(ours.code, ref.code, ours.stderr);
    assert.equal(ours.stderr, ref.stderr);
    assert.equal(ours.code, 1);
  }
  // the Dockerfile's default ID with only another one given
  const dir = join(tmp, 'unset');
  mkdirSync(dir);
  writeFileSync(join(dir, 'Dockerfile'), `FROM busybox\nRUN --mount=type=ssh,required=true echo ${P}\n`);
  const ref = await runProgram(REF, ['build', '--progress', 'plain', '--no-cache', '--ssh', `other=${key}`, '.'], { cwd: dir, env });
  const ours = await tdocker(['build', '--progress', 'plain', '--no-cache', '--ssh', `other=${key}`, '.'], { cwd: dir, env });
  assert.equal(ours.code, ref.code);
  assert.equal(ours.stderr.split('\n').filter((l) => l && !l.startsWith('#')).pop(), ref.stderr.split('\n').filter((l) => l && !l.startsWith('#')).pop());
  assert.match(ours.stderr, /unset ssh forward key default/);
});

test('--metadata-file: buildx\'s JSON for this engine (the build ref and the image digest the build printed), 0644', async () => {
  const dir = join(tmp, 'md');
  mkdirSync(dir);
  writeFileSync(join(dir, 'Dockerfile'), `FROM busybox\nRUN echo ${P} > /f\n`);
  const tag = `${P}-md`;
  images.push(tag);
  const file = join(tmp, 'md.json');
  const r = await tdocker(['build', '-q', '--metadata-file', file, '-t', tag, '.'], { cwd: dir, timeout: 120_000 });
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(file, 'utf8');
  const m = JSON.parse(text) as Record<string, string>;
  assert.deepEqual(Object.keys(m), ['buildx.build.ref', 'containerimage.digest']);
  assert.equal(m['containerimage.digest'], r.stdout.trim());
  const id = await docker(['image', 'inspect', '-f', '{{.Id}}', tag]);
  assert.equal(m['containerimage.digest'], id.stdout.trim());
  assert.match(m['buildx.build.ref'], /^default\/default\/[a-z0-9]{25}$/);
  assert.equal(text, `{\n  "buildx.build.ref": "${m['buildx.build.ref']}",\n  "containerimage.digest": "${m['containerimage.digest']}"\n}`);
  assert.equal(statSync(file).mode & 0o777, 0o644 & ~process.umask());
});

test('build --help, image build --help, builder build --help: docker 28\'s bytes with DOCKER_BUILDKIT unset and 0', async () => {
  for (const mode of [undefined, '0']) {
    for (const cmd of [['build'], ['image', 'build'], ['builder', 'build']]) {
      const r = await both([...cmd, '--help'], { env: { DOCKER_BUILDKIT: mode } });
      assert.equal(r.ours.code, r.ref.code);
      assert.equal(r.ours.stdout, r.ref.stdout, `${mode} ${cmd.join(' ')}`);
    }
  }
});
