import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { docker, runProgram, TDOCKER, tdocker, TmuxSession, uniqueName, type RunResult } from '../helpers/run.js';

// BuildKit builds (the default builder) compared with Debian's docker 20.10 client with
// DOCKER_BUILDKIT=1, whose plain progress is the reference (less its `#N sha256:` lines).
const P = uniqueName('tdbk');
const tmp = mkdtempSync(join(tmpdir(), 'tdbk-'));
const images: string[] = [];
const REF = '/usr/bin/docker';
const BK = { DOCKER_BUILDKIT: '1' };

function files(name: string, tree: Record<string, string>): string {
  const dir = join(tmp, name);
  for (const [f, content] of Object.entries(tree)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), content);
  }
  return dir;
}

/**
 * Plain progress with what differs between two runs of the same build normalised: vertex numbers
 * (the engine's order), timings, log time stamps, digests, the engine's temporary mount names, the
 * `#N ...` interruption lines; blocks compared as a sorted list, as concurrent steps come in any order.
 */
function plain(s: string): string[] {
  const text = s
    .split('\n')
    .filter((l) => !/^#\d+ sha256:[0-9a-f]{64}$/.test(l) && !/^#\d+ \.\.\.$/.test(l))
    .join('\n')
    .replace(/^#\d+ /gm, '#N ')
    // the base image's step is a vertex the engine shares between builds: named by whichever build asked first
    .replace(/^#N \[[^\]\n]*\] FROM docker\.io\//gm, '#N [S] FROM docker.io/')
    .replace(/^#N \d+\.\d+ /gm, '#N T ')
    // the exporter's progress drawn before it is done, or not: when the drawings fell
    .replace(/^#N copying files [\d.]+[kMG]?B( [\d.]+s)?\n(?=#N copying files)/gm, '')
    .replace(/ \d+\.\d+s( done)?$/gm, '$1')
    .replace(/sha256:[0-9a-f]{64}/g, 'sha256:<ID>')
    .replace(/buildkit-mount\d+/g, 'buildkit-mount<N>')
    // what the engine already had from an earlier build of the directory is not sent again
    .replace(/^(#N transferring (?:dockerfile|context):) [\d.]+[kMG]?B/gm, '$1 <SIZE>')
    .replace(/^(#N naming to .*)-ref( done)?$/gm, '$1$2')
    // a status drawn when it started and again when done, or only when done: when the drawings fell
    .replace(/^(#N [^\n]*)\n(?=\1 done$)/gm, '')
    .replace(/^#N (?:transferring (?:dockerfile|context):(?: <SIZE>)?|exporting layers|writing image sha256:<ID>)\n/gm, '');
  // a block interrupted by another (`#N ...`) goes on later under its name again: joined
  const blocks = new Map<string, string[]>();
  // the error message after the progress stands alone
  const tail = /\n([^#\n-][^\n]*\n)$/.exec(text);
  if (tail) blocks.set(tail[1], []);
  for (const b of (tail ? text.slice(0, tail.index) : text).split('\n\n')) {
    const [head, ...body] = b.split('\n');
    blocks.set(head, [...(blocks.get(head) ?? []), ...body]);
  }
  // a step that had only started when the build failed is shown or not depending on when the drawings fell
  return [...blocks]
    .filter(([head, body]) => body.length > 0 || !/^#N /.test(head))
    // a vertex drawn DONE and then drawn again with a later status of its own (docker 20.10, once in a CI
    // run: `#N DONE` before `#N transferring dockerfile`): only the last DONE of a block counts
    .map(([head, body]) => [head, ...body.filter((l, i) => l !== '#N DONE' || i === body.length - 1)].join('\n'))
    .map((b) =>
      // the base image's step is DONE or CACHED depending on what the engine has at hand
      / FROM docker\.io\//.test(b) ? b.replace(/^#N CACHED$/m, '#N DONE') : b,
    )
    .sort();
}

async function pair(args: string[], cwd: string, tag?: string, nonce = false): Promise<{ ref: RunResult; ours: RunResult }> {
  const n = (who: string): string[] => (nonce ? ['--build-arg', `NONCE=${who}`] : []);
  const ref = await runProgram(REF, ['build', '--progress', 'plain', ...args, ...n('ref'), ...(tag ? ['-t', `${tag}-ref`] : []), '.'], { cwd, env: BK, timeout: 120_000 });
  const ours = await tdocker(['build', '--progress', 'plain', ...args, ...n('ours'), ...(tag ? ['-t', tag] : []), '.'], { cwd, timeout: 120_000 });
  if (tag) images.push(tag, `${tag}-ref`);
  return { ref, ours };
}

function same(r: { ref: RunResult; ours: RunResult }): void {
  assert.equal(r.ours.code, r.ref.code, r.ours.stderr);
  assert.equal(r.ours.stdout, r.ref.stdout);
  assert.deepEqual(plain(r.ours.stderr), plain(r.ref.stderr));
}

after(async () => {
  for (const i of images) await docker(['rmi', '-f', i]);
  rmSync(tmp, { recursive: true, force: true });
});

test('a multi-stage build with build args, a target, .dockerignore: the same progress as docker 20.10 with BuildKit; only what is not ignored reaches the image', async () => {
  const dir = files('multi', {
    Dockerfile: `FROM busybox AS base\nARG WHO=nobody\nARG NONCE\nRUN echo "hello $WHO" > /hello\nCOPY . /ctx\nFROM base AS final\nRUN ls /ctx > /list\nFROM busybox\nRUN echo unused\n`,
    '.dockerignore': 'ignored\n*.log\n',
    'kept.txt': 'kept\n',
    'ignored/big': 'x'.repeat(10000),
    'a.log': 'log\n',
  });
  const tag = `${P}-multi`;
  const r = await pair(['--build-arg', `WHO=${P}`, '--target', 'final'], dir, tag, true);
  same(r);
  assert.equal(r.ours.code, 0);
  const run = await docker(['run', '--rm', tag, 'sh', '-c', 'cat /hello /list']);
  assert.equal(run.stdout, `hello ${P}\nDockerfile\nkept.txt\n`);
  // the rebuild is all CACHED
  const again = await tdocker(['build', '--progress', 'plain', '--build-arg', `WHO=${P}`, '--build-arg', 'NONCE=ours', '--target', 'final', '-t', tag, '.'], { cwd: dir });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, new RegExp(`\\[base 2/3\\] RUN echo "hello ${P}" > /hello\n#\\d+ CACHED\n`));
  assert.match(again.stderr, /\[final 1\/1\] RUN ls \/ctx > \/list\n#\d+ CACHED\n/);
  const refAgain = await runProgram(REF, ['build', '--progress', 'plain', '--build-arg', `WHO=${P}`, '--build-arg', 'NONCE=ref', '--target', 'final', '-t', `${tag}-ref`, '.'], { cwd: dir, env: BK });
  assert.deepEqual(plain(again.stderr), plain(refAgain.stderr));
});

test('--no-cache runs every step again', async () => {
  const dir = files('nocache', { Dockerfile: `FROM busybox\nRUN echo ${P}\n` });
  const tag = `${P}-nc`;
  await tdocker(['build', '-t', tag, '.'], { cwd: dir });
  images.push(tag);
  const r = await pair(['--no-cache'], dir, tag);
  same(r);
  assert.match(r.ours.stderr, new RegExp(`RUN echo ${P}\\n#\\d+ \\d+\\.\\d+ ${P}\\n#\\d+ DONE`));
});

test('a failing RUN: its output, the ERROR line, the box, the error text and status 1', async () => {
  const dir = files('fail', { Dockerfile: `FROM busybox\nRUN echo ${P}; exit 3\n` });
  const r = await pair([], dir);
  same(r);
  assert.equal(r.ours.code, 1);
  assert.match(r.ours.stderr, /\n------\n > \[2\/2\] RUN echo .*; exit 3:\n------\nexecutor failed running \[\/bin\/sh -c echo .*; exit 3\]: exit code: 3\n$/);
});

test('a Dockerfile syntax error and a missing Dockerfile, as docker 20.10 reports them', async () => {
  const dir = files('bad', { Dockerfile: 'FROM busybox\nFOO bar\n' });
  const r = await pair([], dir);
  same(r);
  assert.match(r.ours.stderr, /dockerfile parse error line 2: unknown instruction: FOO\n$/);
  const m = await pair(['-f', 'nope'], dir);
  // whether .dockerignore was loaded before the failure is the engine's race
  const noIgnore = (x: string): string[] => plain(x).filter((b) => !b.startsWith('#N [internal] load .dockerignore'));
  assert.deepEqual(noIgnore(m.ours.stderr), noIgnore(m.ref.stderr));
  assert.equal(m.ours.code, 1);
  assert.match(m.ours.stderr, /failed to read dockerfile: open .*\/nope: no such file or directory\n$/);
});

test('-q prints only the image id, --iidfile writes it; with -q a failure shows the progress', async () => {
  const dir = files('quiet', { Dockerfile: `FROM busybox\nLABEL p=${P}\n` });
  const iid = join(tmp, 'iid');
  const tag = `${P}-q`;
  images.push(tag);
  const r = await tdocker(['build', '-q', '--iidfile', iid, '-t', tag, '.'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^sha256:[0-9a-f]{64}\n$/);
  assert.equal(readFileSync(iid, 'utf8'), r.stdout.trim());
  const ref = await runProgram(REF, ['build', '-q', '.'], { cwd: dir, env: BK });
  assert.equal(ref.stdout, r.stdout);
  const fdir = files('quietfail', { Dockerfile: 'FROM busybox\nRUN exit 4\n' });
  const f = await tdocker(['build', '-q', '.'], { cwd: fdir });
  const fref = await runProgram(REF, ['build', '-q', '.'], { cwd: fdir, env: BK });
  assert.equal(f.code, 1);
  assert.equal(f.stdout, '');
  assert.deepEqual(plain(f.stderr), plain(fref.stderr));
});

test('DOCKER_BUILDKIT=0: the classic builder with docker 28\'s DEPRECATED notice', async () => {
  const dir = files('legacy', { Dockerfile: `FROM busybox\nLABEL p=${P}\n` });
  const ours = await tdocker(['build', '-q', '.'], { cwd: dir, env: { DOCKER_BUILDKIT: '0' } });
  const ref = await docker(['build', '-q', '.'], { cwd: dir, env: { DOCKER_BUILDKIT: '0' } });
  assert.equal(ours.stderr, ref.stderr);
  assert.equal(ours.stdout, ref.stdout);
  assert.equal(ours.code, 0);
});

test('--secret from a file and from the environment, and a cache mount kept from one build to the next', async () => {
  const dir = files('secret', {
    Dockerfile: `FROM busybox\nRUN --mount=type=secret,id=tok --mount=type=secret,id=envtok cat /run/secrets/tok /run/secrets/envtok > /got # ${P}\nARG NONCE\nRUN --mount=type=cache,target=/cache-${P} echo x >> /cache-${P}/f && wc -l < /cache-${P}/f\n`,
    tok: `file-${P}\n`,
  });
  const tag = `${P}-secret`;
  images.push(tag);
  const args = ['build', '--progress', 'plain', '--secret', 'id=tok,src=tok', '--secret', 'id=envtok,env=TD_SECRET', '-t', tag, '.'];
  const r = await tdocker(args, { cwd: dir, env: { TD_SECRET: `env-${P}\n` } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /wc -l < \/cache-[\w-]+\/f\n#\d+ \d\.\d+ 1\n#\d+ DONE/);
  assert.equal((await docker(['run', '--rm', tag, 'cat', '/got'])).stdout, `file-${P}\nenv-${P}\n`);
  const again = await tdocker([...args.slice(0, 1), '--build-arg', 'NONCE=2', ...args.slice(1)], { cwd: dir, env: { TD_SECRET: `env-${P}\n` } });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /wc -l < \/cache-[\w-]+\/f\n#\d+ \d\.\d+ 2\n#\d+ DONE/);
  // a secret the build asks for and the client lacks
  const none = await tdocker(['build', '--progress', 'plain', '--no-cache', '.'], { cwd: dir });
  const ref = await runProgram(REF, ['build', '--progress', 'plain', '--no-cache', '.'], { cwd: dir, env: BK });
  assert.equal(none.code, ref.code);
  assert.equal(none.stderr.split('\n').slice(-2)[0], ref.stderr.split('\n').slice(-2)[0]);
});

test('a private base image from the local registry: credentials from config.json through the session; without them docker 20.10\'s 401', async () => {
  const cfg = join(tmp, 'cfg');
  const none = join(tmp, 'cfg-none');
  mkdirSync(none, { recursive: true });
  const env = { DOCKER_CONFIG: cfg };
  const login = await docker(['login', '127.0.0.1:5000', '-u', process.env.TDOCKER_REG_USER ?? 'testuser', '--password-stdin'], { env, input: `${process.env.TDOCKER_REG_PASS ?? 'testpassword'}\n` });
  assert.equal(login.code, 0, login.stderr);
  const base = `127.0.0.1:5000/${P}-base:1`;
  await docker(['tag', 'busybox', base]);
  const push = await docker(['push', '-q', base], { env });
  await docker(['rmi', base]);
  assert.equal(push.code, 0, push.stderr);
  const dir = files('private', { Dockerfile: `FROM ${base}\nRUN echo ${P}\n` });
  const tag = `${P}-priv`;
  const ours = await tdocker(['build', '--progress', 'plain', '-t', tag, '.'], { cwd: dir, env });
  images.push(tag);
  assert.equal(ours.code, 0, ours.stderr);
  assert.match(ours.stderr, new RegExp(`\\[internal\\] load metadata for ${base.replace(/\./g, '\\.')}\n#\\d+ DONE`));
  const denied = await tdocker(['build', '--progress', 'plain', '.'], { cwd: dir, env: { DOCKER_CONFIG: none } });
  const deniedRef = await runProgram(REF, ['build', '--progress', 'plain', '.'], { cwd: dir, env: { ...BK, DOCKER_CONFIG: none } });
  assert.equal(denied.code, 1);
  assert.equal(denied.code, deniedRef.code);
  assert.deepEqual(plain(denied.stderr), plain(deniedRef.stderr));
  assert.match(denied.stderr, /401 Unauthorized\n$/);
});

/** a directory tree as text: path, kind, mode, size, links, content or link target */
function tree(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    for (const n of readdirSync(d).sort()) {
      const abs = join(d, n);
      const r = rel ? `${rel}/${n}` : n;
      const st = lstatSync(abs);
      const mode = (st.mode & 0o7777).toString(8);
      if (st.isSymbolicLink()) out.push(`${r} link ${readlinkSync(abs)}`);
      else if (st.isDirectory()) {
        out.push(`${r} dir ${mode}`);
        walk(abs, r);
      } else out.push(`${r} file ${mode} ${st.size} ${st.nlink} ${readFileSync(abs, 'utf8')}`);
    }
  };
  walk(root, '');
  return out;
}

test('--output type=local,dest=DIR and -o DIR: the same files, modes, links and time stamps as docker 20.10 writes, and the same progress', async () => {
  const dir = files('outlocal', {
    Dockerfile: `FROM busybox AS b\nARG NONCE\nRUN mkdir -p /out/sub/deep && echo ${P} > /out/a && echo x > /out/sub/deep/b && ln -s a /out/l && ln /out/a /out/hard && chmod 640 /out/a && chmod 4755 /out/sub/deep/b && touch -d '2020-01-02 03:04:05' /out/sub/deep/b\nFROM scratch\nCOPY --from=b /out /\n`,
  });
  // the cache warmed first: both builds are then all CACHED and export the same files
  assert.equal((await tdocker(['build', '-q', '.'], { cwd: dir })).code, 0);
  for (const form of ['type=local,dest=DEST', 'DEST']) {
    const refDir = join(tmp, `outlocal-ref-${form.length}`);
    const ourDir = join(tmp, `outlocal-ours-${form.length}`);
    // what is already in the destination stays beside the export (fsutil's merge)
    mkdirSync(ourDir, { recursive: true });
    mkdirSync(refDir, { recursive: true });
    writeFileSync(join(ourDir, 'before'), 'x');
    writeFileSync(join(refDir, 'before'), 'x');
    const ref = await runProgram(REF, ['build', '--progress', 'plain', '-o', form.replace('DEST', refDir), '.'], { cwd: dir, env: BK, timeout: 120_000 });
    const ours = await tdocker(['build', '--progress', 'plain', '-o', form.replace('DEST', ourDir), '.'], { cwd: dir, timeout: 120_000 });
    same({ ref, ours });
    assert.equal(ours.code, 0, ours.stderr);
    assert.match(ours.stderr, /#\d+ exporting to client\n#\d+ copying files [\d.]+k?B/);
    assert.deepEqual(tree(ourDir), tree(refDir));
    assert.ok(tree(ourDir).includes(`a file 640 ${P.length + 1} 2 ${P}\n`), tree(ourDir).join('\n'));
    // the files' time stamps are the image's (to the microsecond: what a float of seconds keeps)
    for (const f of ['a', 'hard', 'sub/deep/b', 'before']) assert.ok(Math.abs(lstatSync(join(ourDir, f)).mtimeMs - lstatSync(join(refDir, f)).mtimeMs) < 0.01, f);
    assert.equal(lstatSync(join(ourDir, 'sub/deep/b')).mtime.toISOString().slice(0, 19), '2020-01-02T03:04:05');
    assert.equal(statSync(ourDir).mode & 0o777, 0o755 & statSync(refDir).mode);
  }
  // a fresh destination is made with mode 0700, as docker's
  const fresh = join(tmp, 'outlocal-fresh', 'x');
  const freshRef = join(tmp, 'outlocal-fresh-ref', 'x');
  assert.equal((await tdocker(['build', '-q', '-o', fresh, '.'], { cwd: dir })).code, 0);
  assert.equal((await runProgram(REF, ['build', '-q', '-o', freshRef, '.'], { cwd: dir, env: BK })).code, 0);
  assert.equal(statSync(fresh).mode & 0o777, statSync(freshRef).mode & 0o777);
  assert.deepEqual(tree(fresh), tree(freshRef));
});

test('--output type=tar,dest=FILE and -o - : the same tar bytes as docker 20.10; -q prints nothing more on stdout; bad outputs as docker', async () => {
  const dir = files('outtar', {
    Dockerfile: `FROM busybox AS b\nRUN mkdir -p /out/d && echo ${P} > /out/a && ln -s a /out/d/l && touch -d '2021-05-06 07:08:09' /out/a /out/d\nFROM scratch\nCOPY --from=b /out /\n`,
  });
  assert.equal((await tdocker(['build', '-q', '.'], { cwd: dir })).code, 0);
  const refTar = join(tmp, 'ref.tar');
  const ourTar = join(tmp, 'ours.tar');
  const ref = await runProgram(REF, ['build', '--progress', 'plain', '-o', `type=tar,dest=${refTar}`, '.'], { cwd: dir, env: BK });
  const ours = await tdocker(['build', '--progress', 'plain', '-o', `type=tar,dest=${ourTar}`, '.'], { cwd: dir });
  same({ ref, ours });
  assert.equal(ours.code, 0, ours.stderr);
  assert.ok(readFileSync(ourTar).length > 1024);
  assert.ok(readFileSync(ourTar).equals(readFileSync(refTar)));
  // a tar on stdout: the same bytes, with -q and without (the progress on stderr)
  for (const q of [['-q'], []]) {
    const sum = (prog: string, env?: Record<string, string>): Promise<RunResult> => runProgram('sh', ['-c', `"$0" build ${q.join(' ')} -o - . | sha256sum`, prog], { cwd: dir, env });
    const a = await sum(REF, BK);
    const b = await sum(TDOCKER);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(b.stdout, a.stdout);
    assert.notEqual(b.stdout, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  -\n');
  }
  const listing = await runProgram('tar', ['tvf', ourTar]);
  assert.match(listing.stdout, /^-rw-r--r-- 0\/0 +\d+ 2021-05-06 07:08 a\ndrwxr-xr-x 0\/0 +0 2021-05-06 07:08 d\/\nlrwxrwxrwx 0\/0 +0 [\d-]+ [\d:]+ d\/l -> a\n$/);
  // errors docker 20.10 gives for outputs it cannot use
  for (const bad of [['-o', 'type=tar'], ['-o', 'type=local'], ['-o', 'type=tar,nokey'], ['-o', 'type="tar'], ['-o', `type=tar,dest=${join(tmp, 'no/such/dir/f.tar')}`]]) {
    const a = await runProgram(REF, ['build', '-q', ...bad, '.'], { cwd: dir, env: BK });
    const b = await tdocker(['build', '-q', ...bad, '.'], { cwd: dir });
    assert.equal(b.code, a.code, `${bad.join(' ')}: ${b.stderr}`);
    assert.equal(b.stderr, a.stderr.replace(/^ERROR: /, ''), bad.join(' '));
  }
});

/** a terminal screen with what differs between two builds normalised: timers, digests, the build arg */
function screenOf(s: string): string {
  return s
    .replace(/\d+\.\ds/g, 'T')
    .replace(/sha256:[0-9a-f]{64}/g, 'sha256:<ID>')
    .replace(/[AB]-N-\d/g, 'W-N')
    // the base image's step is CACHED or not depending on what the engine has at hand
    .replace(/^ => CACHED (\[1\/\d\] FROM )/gm, ' => $1')
    .replace(/^#\d+ \d+\.\d+ /gm, '#N T ')
    .replace(/ +$/gm, '')
    .replace(/ +T$/gm, ' T')
    .replace(/\n+$/, '\n');
}

test('tty mode in a pseudo-terminal: the live view is redrawn in place (one header, running step timers growing, its last output lines), and ends with the FINISHED summary docker 20.10 draws; a failure ends with the step\'s logs in the box', async () => {
  const dir = files('tty', {
    Dockerfile: `FROM busybox\nARG N\nRUN echo $N >/dev/null; for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo line-$i; sleep 0.4; done\nRUN echo two\n`,
  });
  const run = async (who: 'ours' | 'ref', progress: string[]): Promise<{ live: string[]; final: string }> => {
    // a new value each time: the long step runs again
    const prog = who === 'ours' ? `${TDOCKER} build` : `env DOCKER_BUILDKIT=1 ${REF} build`;
    const t = await TmuxSession.start(`cd ${dir} && ${prog} ${progress.join(' ')} --build-arg N=${who === 'ours' ? 'A' : 'B'}-N-${progress.length}-${P} .; echo EXIT=$?; sleep 60`, 100, 30);
    try {
      const live = [await t.waitFor(/=> => # line-3\b/, 60_000), await t.waitFor(/=> => # line-7\b/, 60_000)];
      const final = await t.waitFor(/EXIT=\d+/, 60_000);
      return { live, final };
    } finally {
      await t.kill();
    }
  };
  for (const progress of [[], ['--progress', 'tty']]) {
    const ours = await run('ours', progress);
    for (const s of ours.live) {
      assert.equal(s.match(/\[\+\] Building/g)?.length, 1, s);
      assert.match(s, /^\[\+\] Building \d+\.\ds \(\d+\/\d+\) *$/m);
      assert.match(s, /^ => (CACHED )?\[1\/3\] FROM docker\.io\/library\/busybox +\d+\.\ds$/m);
    }
    const timer = (s: string): number => Number(/\[2\/3\] RUN .* (\d+\.\d)s$/m.exec(s)?.[1]);
    assert.ok(timer(ours.live[1]) > timer(ours.live[0]), `${ours.live[0]}\n${ours.live[1]}`);
    // the running step's last six lines under it
    assert.match(ours.live[1], / => => # line-2 *\n => => # line-3 *\n => => # line-4 *\n => => # line-5 *\n => => # line-6 *\n => => # line-7 *\n/);
    assert.equal(ours.final.match(/\[\+\] Building/g)?.length, 1);
    assert.match(ours.final, /^\[\+\] Building \d+\.\ds \(7\/7\) FINISHED *$/m);
    assert.doesNotMatch(ours.final, /=> => #/);
    assert.match(ours.final, /EXIT=0/);
    const ref = await run('ref', progress);
    assert.equal(screenOf(ours.final), screenOf(ref.final));
  }
  // a failing step: red in the view, then the box with its logs, the error and status 1
  const fdir = files('ttyfail', { Dockerfile: `FROM busybox\nRUN echo out-${P}; echo more; exit 5\n` });
  const fail = async (prog: string): Promise<string> => {
    const t = await TmuxSession.start(`cd ${fdir} && ${prog} build .; echo EXIT=$?; sleep 60`, 100, 30);
    try {
      return await t.waitFor(/EXIT=\d+/, 60_000);
    } finally {
      await t.kill();
    }
  };
  const fo = await fail(TDOCKER);
  const fr = await fail(`env DOCKER_BUILDKIT=1 ${REF}`);
  assert.match(fo, / => ERROR \[2\/2\] RUN echo out-.*\n------\n > \[2\/2\] RUN echo out-[^\n]*:\n#\d+ \d\.\d+ out-[\w-]+\n#\d+ \d\.\d+ more\n------\nexecutor failed running .*exit code: 5\nEXIT=1/);
  assert.equal(screenOf(fo), screenOf(fr));
});

/** pids whose command line holds the marker (the build's RUN, seen from the host) */
function withMarker(marker: string): number[] {
  const out: number[] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p) || Number(p) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(marker)) out.push(Number(p));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

async function until(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`never: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('Ctrl-C (SIGINT) during a BuildKit build cancels it on the engine: the RUN\'s process is gone, CANCELED, "context canceled", status 1 as docker 20.10', async () => {
  const results: Record<string, { code: number | null; stderr: string }> = {};
  for (const who of ['ref', 'ours'] as const) {
    const marker = `cancel-${who}-${P}`;
    const dir = files(`cancel-${who}`, { Dockerfile: `FROM busybox\nRUN echo ${marker}; sleep 300; echo never-${marker}\n` });
    const [prog, args] = who === 'ours' ? [TDOCKER, []] : [REF, []];
    const child = spawn(prog, [...args, 'build', '--progress', 'plain', '.'], { cwd: dir, env: { ...process.env, ...BK, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    try {
      // the step runs on the engine: its shell is a process of the host
      await until(() => withMarker(`echo ${marker}; sleep 300`).length > 0, `the RUN of ${who} running`);
      child.kill('SIGINT');
      const code = await exited;
      await until(() => withMarker(`echo ${marker}; sleep 300`).length === 0, `the RUN of ${who} gone after the cancel`);
      results[who] = { code, stderr };
    } finally {
      child.kill('SIGKILL');
    }
  }
  assert.equal(results.ours.code, results.ref.code);
  assert.equal(results.ours.code, 1);
  assert.match(results.ours.stderr, /\n#\d+ CANCELED\ncontext canceled\n$/);
  assert.doesNotMatch(results.ours.stderr, /^#\d+ [\d.]+ never-cancel/m);
  assert.equal(results.ours.stderr.replace(/^#\d+ /gm, '#N ').split('\n').slice(-3).join('\n'), results.ref.stderr.replace(/^#\d+ /gm, '#N ').split('\n').slice(-3).join('\n'));
});

test('builder prune (-f, --filter, -a, its prompt and errors) and system df\'s build-cache rows, as docker 28', async () => {
  const M = `pm-${P}`;
  const dir = files('prune', { Dockerfile: `FROM busybox\nRUN --mount=type=cache,target=/c1-${M} --mount=type=cache,target=/c2-${M} echo ${M} > /c1-${M}/f; echo ${M} > /c2-${M}/f\n` });
  assert.equal((await tdocker(['build', '-q', '.'], { cwd: dir })).code, 0);
  const records = async (): Promise<{ ID: string; Description: string }[]> => {
    const r = await docker(['system', 'df', '-v', '--format', '{{json .BuildCache}}']);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { ID: string; Description: string }[]).filter((b) => b.Description.includes(M));
  };
  const mounts = (await records()).filter((b) => b.Description.startsWith('cached mount'));
  assert.equal(mounts.length, 2);
  // system df -v: our records' rows, as docker prints them (asked one after the other: the engine runs one disk usage at a time)
  const rows = async (run: typeof docker): Promise<string[]> => {
    const r = await run(['system', 'df', '-v']);
    assert.equal(r.code, 0, r.stderr);
    // the seconds between the two calls (disk usage is slow on a busy engine) are not compared
    return r.stdout
      .split('\n')
      .filter((l) => mounts.some((m) => l.startsWith(m.ID.slice(0, 12))) || l.startsWith('CACHE ID'))
      .map((l) => l.replace(/(\d+ seconds?|About a minute|\d+ minutes|Less than a second) ago/g, 'AGO').replace(/ {2,}/g, '  '));
  };
  const dfOurs = await rows(tdocker);
  const dfRef = await rows(docker);
  assert.equal(dfOurs.length, 3);
  assert.deepEqual(dfOurs, dfRef);
  // one record pruned by each client, through an id filter: the same report
  const norm = (s: string, id: string): string => s.replace(id, '<ID>');
  const ours = await tdocker(['builder', 'prune', '-f', '--filter', `id=${mounts[0].ID}`]);
  const ref = await docker(['builder', 'prune', '-f', '--filter', `id=${mounts[1].ID}`]);
  assert.equal(ours.code, 0, ours.stderr);
  assert.equal(norm(ours.stdout, mounts[0].ID), norm(ref.stdout, mounts[1].ID));
  assert.match(ours.stdout, /^Deleted build cache objects:\n\w{25}\n\nTotal reclaimed space: \d+B\n$/);
  assert.equal((await records()).filter((b) => b.Description.startsWith('cached mount')).length, 0);
  // nothing left to match; -a with the filter
  for (const args of [['-f', '--filter', `id=${mounts[0].ID}`], ['-a', '-f', '--filter', `id=${mounts[0].ID}`]]) {
    const a = await tdocker(['builder', 'prune', ...args]);
    const b = await docker(['builder', 'prune', ...args]);
    assert.equal(a.stdout, b.stdout);
    assert.equal(a.stdout, 'Total reclaimed space: 0B\n');
  }
  // the prompt: "n" prunes nothing and ends with status 0; the -a warning
  for (const args of [[], ['-a']]) {
    const a = await tdocker(['builder', 'prune', ...args, '--filter', `id=${mounts[0].ID}`], { input: 'n\n' });
    const b = await docker(['builder', 'prune', ...args, '--filter', `id=${mounts[0].ID}`], { input: 'n\n' });
    assert.equal(a.code, b.code);
    assert.equal(a.stdout, b.stdout);
  }
  // errors (docker 28 without buildx adds its DEPRECATED notice on stderr: tdocker builds with BuildKit)
  const noNotice = (s: string): string => s.replace(/^DEPRECATED: [^\n]*\n( {12}[^\n]*\n)*\n?/, '').replace(/docker/g, 'tdocker');
  for (const args of [['-f', '--filter', 'bogus=1'], ['-f', '--keep-storage', 'x'], ['-f', '--filter', 'nonsense'], ['extra']]) {
    const a = await tdocker(['builder', 'prune', ...args]);
    const b = await docker(['builder', 'prune', ...args]);
    assert.equal(a.code, b.code, args.join(' '));
    assert.equal(a.stderr, noNotice(b.stderr), args.join(' '));
  }
});

test('stdin and URL contexts through BuildKit as docker 20.10: a tar on stdin, a Dockerfile on stdin, -f - with a directory, a tarball URL, and the conflicts', async () => {
  const dir = files('stdin', { Dockerfile: `FROM busybox\nARG NONCE\nCOPY a /a\nRUN cat /a && echo $NONCE > /dev/null\n`, a: `a-${P}\n` });
  const tarPath = join(tmp, 'stdin.tar');
  assert.equal((await runProgram('tar', ['-C', dir, '-cf', tarPath, '.'])).code, 0);
  const tarData = readFileSync(tarPath);
  let k = 0;
  const both2 = async (args: string[], input?: Buffer | string, cwd = dir): Promise<void> => {
    k++;
    // the context's steps cached first: both builds then run only the RUN that names them
    assert.equal((await tdocker(['build', '-q', '--build-arg', `NONCE=warm${k}`, ...args], { cwd, input, timeout: 120_000 })).code, 0);
    const ref = await runProgram(REF, ['build', '--progress', 'plain', '--build-arg', `NONCE=ref${k}`, ...args], { cwd, env: BK, input, timeout: 120_000 });
    const ours = await tdocker(['build', '--progress', 'plain', '--build-arg', `NONCE=ours${k}`, ...args], { cwd, input, timeout: 120_000 });
    assert.equal(ours.code, ref.code);
    // the same steps, in blocks whose inner drawing order is the engine's timing (the context's steps
    // are reported done, then cached; interrupted blocks): compared by their heads and the RUN's output
    const heads = (x: string): string[] =>
      plain(x)
        .map((b) => b.split('\n')[0].replace(/ (ours|ref)\d+\b/g, ' W').replace(/^#N \[[^\]]*\] FROM /, '#N [S] FROM '))
        .sort();
    assert.deepEqual(heads(ours.stderr), heads(ref.stderr));
    assert.equal(ours.code, 0, ours.stderr);
    assert.match(ours.stderr, new RegExp(`#\\d+ [\\d.]+ a-${P}\\n`));
  };
  await both2(['-'], tarData);
  await both2(['-f', '-', '.'], `FROM busybox\nARG NONCE\nCOPY a /b\nRUN cat /b && echo $NONCE > /dev/null\n`);
  // a Dockerfile alone on stdin: an empty context
  const ref = await runProgram(REF, ['build', '--progress', 'plain', '--build-arg', 'NONCE=ref', '-'], { cwd: dir, env: BK, input: `FROM busybox\nARG NONCE\nRUN echo only-${P} $NONCE\n` });
  const ours = await tdocker(['build', '--progress', 'plain', '--build-arg', 'NONCE=ours', '-'], { cwd: dir, input: `FROM busybox\nARG NONCE\nRUN echo only-${P} $NONCE\n` });
  assert.equal(ours.code, 0, ours.stderr);
  // the base image's step is the engine's shared vertex: named by whichever build asked for it first
  const norm = (x: string): string[] => plain(x).map((b) => b.split('\n')[0].replace(/ (ours|ref)\b/g, ' W').replace(/^#N \[[^\]]*\] FROM /, '#N [S] FROM ')).sort();
  assert.deepEqual(norm(ours.stderr), norm(ref.stderr));
  assert.match(ours.stderr, new RegExp(`\\n#\\d+ [\\d.]+ only-${P} ours\\n`));
  // a tarball the engine downloads itself
  const server = createServer((_req, res) => res.end(tarData));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    await both2([`http://127.0.0.1:${(server.address() as AddressInfo).port}/ctx.tar`], undefined, tmp);
  } finally {
    server.close();
  }
  for (const [args, input] of [[['-f', '-', '-'], 'FROM busybox\n'], [['-f', 'x', '-'], 'FROM busybox\n'], [['no-such-dir'], '']] as const) {
    const a = await runProgram(REF, ['build', ...args], { cwd: dir, env: BK, input });
    const b = await tdocker(['build', ...args], { cwd: dir, input });
    assert.equal(b.code, a.code, args.join(' '));
    assert.equal(b.stderr, a.stderr, args.join(' '));
  }
});
