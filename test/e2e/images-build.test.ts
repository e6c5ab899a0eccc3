import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as netServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, DOCKER, runProgram, tdocker, TmuxSession, TDOCKER, uniqueName, type RunResult } from '../helpers/run.js';

// build through the classic builder from every kind of context; docker is run with DOCKER_BUILDKIT=0.
const P = uniqueName('tdbuild');
const tmp = mkdtempSync(join(tmpdir(), 'tdbuild-'));
const images: string[] = [];
const LEGACY = { DOCKER_BUILDKIT: '0' };
/** docker 28's notice when DOCKER_BUILDKIT=0 chooses the classic builder, on stderr before anything else */
const NOTICE =
  'DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n' +
  '            BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0\n' +
  '            environment-variable.\n\n';

function files(dir: string, tree: Record<string, string>): string {
  for (const [name, content] of Object.entries(tree)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** A build's stdout with what legitimately differs between two builds (ids, cache use) removed. */
function steps(out: string): string {
  return out
    .split('\n')
    .filter((l) => !/^ ---> (Running in|Using cache)|^Removing intermediate container|^ ---> [0-9a-f]{12}$/.test(l))
    .join('\n')
    .replace(/\b[0-9a-f]{12}\b/g, '<ID>');
}

async function build(args: string[], input?: string | Buffer, cwd?: string): Promise<RunResult> {
  const tag = args[args.indexOf('-t') + 1];
  if (args.includes('-t')) images.push(tag);
  const r = await tdocker(['build', ...args], { input, cwd, env: LEGACY, timeout: 120_000 });
  // docker 28's notice comes first, whatever follows
  assert.ok(r.stderr.startsWith(NOTICE), r.stderr);
  return { ...r, stderr: r.stderr.slice(NOTICE.length) };
}

async function runImage(image: string, ...cmd: string[]): Promise<string> {
  const r = await docker(['run', '--rm', image, ...cmd]);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

const LISTING = 'FROM busybox\nCOPY . /ctx\nCMD ["sh", "-c", "cd /ctx && find . -type f | sort"]\n';

before(() => {
  files(join(tmp, 'app'), {
    Dockerfile: 'FROM busybox\nLABEL version="1.0"\nARG WHO=world\nRUN echo "hello $WHO" > /greeting\nWORKDIR /opt\nCOPY data/ /opt/data/\nCMD ["cat", "/greeting"]\n',
    '.dockerignore': 'secret\n*.log\n',
    'data/a.txt': 'a\n',
    'data/b.log': 'b\n',
    'secret/key': 'k\n',
    'top.log': 'l\n',
  });
});

after(async () => {
  for (const i of images) await docker(['rmi', '-f', i]);
  rmSync(tmp, { recursive: true, force: true });
});

test('directory context: docker\'s steps, progress line, tags; same steps as docker', async () => {
  const tag = `${P}-app:1`;
  const r = await build(['-t', tag, '-t', `${P}-app:2`, '--build-arg', 'WHO=docker', join(tmp, 'app')]);
  images.push(`${P}-app:2`);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  assert.ok(r.stdout.startsWith('Sending build context to Docker daemon  5.632kB\r\r\nStep 1/7 : FROM busybox\n'), r.stdout);
  assert.match(r.stdout, /\nSuccessfully built [0-9a-f]{12}\nSuccessfully tagged tdbuild-[0-9a-f]+-app:1\nSuccessfully tagged tdbuild-[0-9a-f]+-app:2\n$/);
  assert.equal(await runImage(tag), 'hello docker\n');
  assert.equal(await runImage(tag, 'sh', '-c', 'find /opt/data | sort'), '/opt/data\n/opt/data/a.txt\n/opt/data/b.log\n');
  const ref = await docker(['build', '-t', `${P}-app:ref`, '--build-arg', 'WHO=docker', join(tmp, 'app')], { env: LEGACY });
  images.push(`${P}-app:ref`);
  assert.equal(ref.code, 0);
  assert.equal(r.stdout.split('\n')[0], ref.stdout.split('\n')[0]);
  assert.equal(steps(r.stdout).replace(/-app:2\n/, '-app:ref\n').replace(/Successfully tagged .*-app:1\n/, ''), steps(ref.stdout));
});

test('-q prints the image id only; --iidfile; --label; --target', async () => {
  const dir = files(join(tmp, 'multi'), { Dockerfile: 'FROM busybox AS one\nRUN echo one > /one\nFROM busybox\nCOPY --from=one /one /two\n' });
  const iid = join(tmp, 'iid');
  const r = await build(['-q', '--iidfile', iid, '--label', `${P}=x`, '--label', 'empty', '--target', 'one', '-t', `${P}-q`, dir]);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^sha256:[0-9a-f]{64}\n$/);
  assert.equal(readFileSync(iid, 'utf8'), r.stdout);
  const labels = await docker(['image', 'inspect', '--format', '{{json .Config.Labels}}', `${P}-q`]);
  assert.equal(labels.stdout, `{"empty":"","${P}":"x"}\n`);
  assert.equal(await runImage(`${P}-q`, 'cat', '/one'), 'one\n');
  const n = await build(['--iidfile', iid, dir]);
  assert.equal(n.code, 0);
  assert.match(readFileSync(iid, 'utf8'), /^sha256:[0-9a-f]{64}$/);
  images.push(readFileSync(iid, 'utf8'));
});

test('a failing step: docker\'s message and the command\'s status; with -q the output goes to stderr', async () => {
  const dir = files(join(tmp, 'fail'), { Dockerfile: 'FROM busybox\nRUN echo before\nRUN sh -c \'echo failing >&2; exit 7\'\n' });
  const r = await build(['--no-cache', dir]);
  assert.equal(r.code, 7);
  assert.equal(r.stderr, 'The command \'/bin/sh -c sh -c \'echo failing >&2; exit 7\'\' returned a non-zero code: 7\n');
  // the engine colours the step's stderr
  assert.match(r.stdout, /\nStep 3\/3 : RUN sh -c 'echo failing >&2; exit 7'\n ---> Running in [0-9a-f]{12}\n\x1b\[91mfailing\n\x1b\[0m$/);
  const ref = await docker(['build', '--no-cache', dir], { env: LEGACY });
  assert.equal(ref.code, 7);
  assert.equal(steps(r.stdout), steps(ref.stdout));
  const q = await build(['-q', '--no-cache', dir]);
  assert.equal(q.code, 7);
  assert.equal(q.stdout, '');
  assert.match(q.stderr, /^Sending build context to Docker daemon {2}\d.*\r\r\nStep 1\/3 : FROM busybox\n[^]*\n\x1b\[91mfailing\n\x1b\[0mThe command .* returned a non-zero code: 7\n$/);
  // a failed step's container stays (as docker leaves it), and the image of the step before: removed here
  const outputs = [r.stdout, ref.stdout, q.stderr].join('\n');
  const failed = [...outputs.matchAll(/Step 3\/3 : RUN sh [^\n]*\n ---> Running in ([0-9a-f]{12})/g)].map((m) => m[1]);
  const stepImages = [...outputs.matchAll(/Step 2\/3 : RUN echo before\n[^]*? ---> ([0-9a-f]{12})\nStep 3\/3/g)].map((m) => m[1]);
  assert.equal(failed.length, 3);
  await docker(['rm', '-f', ...failed]);
  await docker(['rmi', ...new Set(stepImages)]);
});

test('errors as docker: missing context, missing Dockerfile, bad tag, stdin twice', async () => {
  for (const args of [
    ['/nonexistent-build-context'],
    ['-f', join(tmp, 'nosuch', 'Dockerfile'), join(tmp, 'app')],
    ['-t', 'BAD', join(tmp, 'app')],
    ['-t', 'a:b:c', join(tmp, 'app')],
    ['-f', '-', '-'],
    [],
  ]) {
    const ours = await tdocker(['build', ...args], { env: LEGACY });
    const ref = await docker(['build', ...args], { env: LEGACY });
    const clean = (s: string): string => s.replace(/^DEPRECATED:[^\n]*\n( {12}[^\n]*\n)*\n?/, '').replace(/\btdocker\b/g, 'docker');
    assert.equal(clean(ours.stderr), clean(ref.stderr), args.join(' '));
    assert.equal(ours.stdout, ref.stdout);
    assert.equal(ours.code, ref.code);
  }
  const dir = files(join(tmp, 'nodf'), { 'a.txt': 'a' });
  const r = await tdocker(['build', dir], { env: LEGACY });
  assert.equal(r.stderr, `${NOTICE}unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat ${dir}/Dockerfile: no such file or directory\n`);
  assert.equal(r.code, 1);
});

test('.dockerignore: negation, **, the Dockerfile and .dockerignore listed themselves; same files as docker', async () => {
  const dir = files(join(tmp, 'ignore'), {
    Dockerfile: LISTING,
    '.dockerignore': '# comment\n*.log\n**/*.tmp\nsub\n!sub/keep.log\n/abs.txt\n./dot.txt\nDockerfile\n.dockerignore\nnested/*/skip\n',
    'a.txt': 'a',
    'top.log': 'x',
    'abs.txt': 'x',
    'dot.txt': 'x',
    'deep/x/y.tmp': 'x',
    'deep/x/z.txt': 'x',
    'y.tmp': 'x',
    'sub/c.log': 'x',
    'sub/keep.log': 'x',
    'sub/other.txt': 'x',
    'deep/d.log': 'x',
    'nested/a/skip': 'x',
    'nested/a/keep': 'x',
    'nested/skip': 'x',
  });
  const r = await build(['-t', `${P}-ign`, dir]);
  assert.equal(r.code, 0, r.stderr);
  const ours = await runImage(`${P}-ign`);
  // the Dockerfile is sent (the build works) but the engine leaves ignored files out of COPY
  assert.equal(ours, './a.txt\n./deep/d.log\n./deep/x/z.txt\n./nested/a/keep\n./nested/skip\n./sub/keep.log\n');
  const ref = await docker(['build', '-t', `${P}-ign-ref`, dir], { env: LEGACY });
  images.push(`${P}-ign-ref`);
  assert.equal(ref.code, 0);
  assert.equal(ours, await runImage(`${P}-ign-ref`));
  // the context size docker reports is the same tar
  assert.equal(r.stdout.split('\n')[0], ref.stdout.split('\n')[0]);
});

test('-f with a Dockerfile outside the context, and inside it under another name', async () => {
  const ctx = files(join(tmp, 'fctx'), { 'hello.txt': 'hello\n', 'build/Dockerfile.dev': 'FROM busybox\nCOPY hello.txt /inside\n' });
  const df = files(join(tmp, 'fout'), { 'Dockerfile.out': 'FROM busybox\nCOPY hello.txt /h\nCMD ["cat", "/h"]\n' });
  const r = await build(['-f', join(df, 'Dockerfile.out'), '-t', `${P}-fout`, ctx]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await runImage(`${P}-fout`), 'hello\n');
  // COPY . sees what docker's does: the Dockerfile travels under a random name listed in a
  // .dockerignore made for it, and the builder removes both
  const listing = files(join(tmp, 'fout-ls'), { 'Dockerfile.ls': LISTING });
  const ours = await build(['-f', join(listing, 'Dockerfile.ls'), '-t', `${P}-fout-ls`, ctx]);
  assert.equal(ours.code, 0, ours.stderr);
  images.push(`${P}-fout-ref`);
  const ref = await docker(['build', '-f', join(listing, 'Dockerfile.ls'), '-t', `${P}-fout-ref`, ctx], { env: LEGACY, timeout: 120_000 });
  assert.equal(ref.code, 0, ref.stderr);
  assert.equal(await runImage(`${P}-fout-ls`), await runImage(`${P}-fout-ref`));
  assert.equal(await runImage(`${P}-fout-ls`), './build/Dockerfile.dev\n./hello.txt\n');
  // a relative -f is taken from the current directory
  const rel = await build(['-f', 'fctx/build/Dockerfile.dev', '-t', `${P}-fin`, 'fctx'], undefined, tmp);
  assert.equal(rel.code, 0, rel.stderr);
  assert.equal(await runImage(`${P}-fin`, 'cat', '/inside'), 'hello\n');
});

test('Dockerfile on stdin (build -), and -f - with a directory context', async () => {
  const r = await build(['-t', `${P}-stdin`, '-'], 'FROM busybox\nRUN echo from-stdin > /s\nCMD ["cat", "/s"]\n');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Sending build context to Docker daemon {2}\d[^\n]*\r\r\nStep 1\/3 : FROM busybox\n/);
  assert.equal(await runImage(`${P}-stdin`), 'from-stdin\n');
  const ctx = files(join(tmp, 'fdash'), { 'f.txt': 'file\n', Dockerfile: 'FROM scratch\n' });
  const d = await build(['-f', '-', '-t', `${P}-fdash`, ctx], 'FROM busybox\nCOPY f.txt /f\nCMD ["cat", "/f"]\n');
  assert.equal(d.code, 0, d.stderr);
  assert.equal(await runImage(`${P}-fdash`), 'file\n');
  // with a .dockerignore of its own, the random name is added to it; COPY . sees what docker's sees
  files(ctx, { '.dockerignore': 'Dockerfile\n' });
  const ours = await build(['-f', '-', '-t', `${P}-fdash-ls`, ctx], LISTING);
  assert.equal(ours.code, 0, ours.stderr);
  images.push(`${P}-fdash-ref`);
  const ref = await docker(['build', '-f', '-', '-t', `${P}-fdash-ref`, ctx], { input: LISTING, env: LEGACY, timeout: 120_000 });
  assert.equal(ref.code, 0, ref.stderr);
  assert.equal(await runImage(`${P}-fdash-ls`), await runImage(`${P}-fdash-ref`));
  assert.equal(await runImage(`${P}-fdash-ls`), './.dockerignore\n./f.txt\n');
});

test('a tar context on stdin (a pipe or a file), with -f naming a Dockerfile inside it', async () => {
  const dir = files(join(tmp, 'tarctx'), { 'in.txt': 'tarred\n', 'docker/Dockerfile.x': 'FROM busybox\nCOPY in.txt /t\nCMD ["cat", "/t"]\n' });
  const tar = spawnSync('tar', ['-C', dir, '-c', '.'], { encoding: 'buffer' }).stdout;
  const r = await build(['-f', 'docker/Dockerfile.x', '-t', `${P}-tar`, '-'], tar);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(await runImage(`${P}-tar`), 'tarred\n');
  const gz = spawnSync('tar', ['-C', dir, '-cz', '.'], { encoding: 'buffer' }).stdout;
  const g = await build(['-f', 'docker/Dockerfile.x', '-t', `${P}-tgz`, '-'], gz);
  assert.equal(g.code, 0, g.stderr);
  assert.equal(await runImage(`${P}-tgz`), 'tarred\n');
  // stdin redirected from a file is read from the file itself: the tar, the same tar after a
  // Dockerfile (-f - with a directory), and a Dockerfile as the context
  writeFileSync(join(tmp, 'ctx.tar'), tar);
  writeFileSync(join(tmp, 'ctx.Dockerfile'), 'FROM busybox\nCOPY in.txt /again\nCMD ["cat", "/again"]\n');
  images.push(`${P}-tarfile`, `${P}-dffile`, `${P}-dfonly`);
  const sh = (cmd: string): Promise<RunResult> => runProgram('sh', ['-c', cmd], { env: LEGACY, cwd: tmp, timeout: 120_000 });
  const f1 = await sh(`${TDOCKER} build -q -f docker/Dockerfile.x -t ${P}-tarfile - < ctx.tar`);
  assert.equal(f1.code, 0, f1.stderr);
  assert.equal(await runImage(`${P}-tarfile`), 'tarred\n');
  const f2 = await sh(`${TDOCKER} build -q -f - -t ${P}-dffile ${dir} < ctx.Dockerfile`);
  assert.equal(f2.code, 0, f2.stderr);
  assert.equal(await runImage(`${P}-dffile`), 'tarred\n');
  const f3 = await sh(`${TDOCKER} build -t ${P}-dfonly - < ctx.Dockerfile`);
  // a Dockerfile alone is the whole context: COPY finds nothing, as with docker
  const ref = await runProgram('sh', ['-c', `${DOCKER} build -t ${P}-dfonly-ref - < ctx.Dockerfile`], { env: LEGACY, cwd: tmp, timeout: 120_000 });
  assert.equal(f3.code, ref.code);
  assert.equal(f3.code, 1);
  assert.equal(f3.stderr.trim().split('\n').pop(), ref.stderr.trim().split('\n').pop());
});

async function freePort(): Promise<number> {
  const s = netServer();
  await new Promise<void>((res) => s.listen(0, '127.0.0.1', res));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((res) => s.close(() => res()));
  return port;
}

test('a git URL: a repository served by git daemon on 127.0.0.1, with #ref:subdir', async () => {
  const base = join(tmp, 'git');
  const repo = files(join(base, 'repo.git'), { 'sub/Dockerfile': 'FROM busybox\nCOPY msg /msg\nCMD ["cat", "/msg"]\n', 'sub/msg': 'from-git\n', Dockerfile: 'FROM busybox\nCMD ["echo", "root"]\n' });
  const git = (...a: string[]): void => {
    const r = spawnSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  git('init', '-q', '-b', 'master');
  git('add', '.');
  git('commit', '-qm', 'one');
  git('branch', 'feature');
  const port = await freePort();
  const daemon = spawn('git', ['daemon', '--export-all', `--base-path=${base}`, `--port=${port}`, '--listen=127.0.0.1', '--reuseaddr', base], { stdio: 'ignore' });
  try {
    // wait until the daemon answers
    for (let i = 0; i < 100; i++) {
      if (spawnSync('git', ['ls-remote', `git://127.0.0.1:${port}/repo.git`]).status === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const r = await build(['-t', `${P}-git`, `git://127.0.0.1:${port}/repo.git#feature:sub`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Sending build context to Docker daemon {2}\d[^\n]*\r\r\nStep 1\/3 : FROM busybox\n/);
    assert.equal(await runImage(`${P}-git`), 'from-git\n');
    const root = await build(['-t', `${P}-git-root`, `git://127.0.0.1:${port}/repo.git`]);
    assert.equal(root.code, 0, root.stderr);
    assert.equal(await runImage(`${P}-git-root`), 'root\n');
    const prefix = "unable to prepare context: unable to 'git clone' to temporary context directory: ";
    const bad = await build([`git://127.0.0.1:${port}/nosuch.git`]);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, `${prefix}error fetching: fatal: remote error: access denied or repository not exported: /nosuch.git\n: exit status 128\n`);
    const noref = await build([`git://127.0.0.1:${port}/repo.git#nobranch`]);
    assert.equal(noref.stderr, `${prefix}error fetching: fatal: couldn't find remote ref nobranch\n: exit status 128\n`);
    const nosub = await build([`git://127.0.0.1:${port}/repo.git#feature:nosub`]);
    assert.match(nosub.stderr, new RegExp(`^${prefix}stat /tmp/docker-build-git\\w+/nosub: no such file or directory\n$`));
    // the same through docker's classic builder
    for (const u of [`git://127.0.0.1:${port}/repo.git#nobranch`, `git://127.0.0.1:${port}/nosuch.git`]) {
      const ref = await docker(['build', u], { env: LEGACY });
      const ours = await tdocker(['build', u], { env: LEGACY });
      assert.equal(ours.stderr, ref.stderr);
      assert.equal(ours.code, ref.code);
    }
  } finally {
    daemon.kill();
  }
});

test('an http git URL on a "dumb" server (static files): fetched in full, since such a server cannot serve a shallow fetch', async () => {
  const base = join(tmp, 'dumbgit');
  const work = files(join(base, 'work'), { Dockerfile: 'FROM busybox\nCOPY m /m\nCMD ["cat", "/m"]\n', m: 'from-dumb-http\n' });
  const git = (cwd: string, ...a: string[]): void => {
    const r = spawnSync('git', ['-C', cwd, '-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  };
  git(work, 'init', '-q', '-b', 'master');
  git(work, 'add', '.');
  git(work, 'commit', '-qm', 'one');
  git(base, 'clone', '-q', '--bare', work, join(base, 'repo.git'));
  git(join(base, 'repo.git'), 'update-server-info');
  const server: Server = createServer((q, res) => {
    const path = join(base, decodeURIComponent(new URL(q.url ?? '/', 'http://x').pathname));
    if (!path.startsWith(base + '/') || !existsSync(path)) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    res.setHeader('Content-Type', 'application/octet-stream');
    res.end(q.method === 'HEAD' ? undefined : readFileSync(path));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as AddressInfo).port;
    const r = await build(['-q', '-t', `${P}-dumbgit`, `http://127.0.0.1:${port}/repo.git`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await runImage(`${P}-dumbgit`), 'from-dumb-http\n');
  } finally {
    server.close();
  }
});

test('a tarball URL served on 127.0.0.1, and a plain Dockerfile URL', async () => {
  const dir = files(join(tmp, 'urlctx'), { 'u.txt': 'from-url\n', Dockerfile: 'FROM busybox\nCOPY u.txt /u\nCMD ["cat", "/u"]\n' });
  const tar = spawnSync('tar', ['-C', dir, '-c', '.'], { encoding: 'buffer' }).stdout;
  const server: Server = createServer((q, res) => {
    if (q.url === '/ctx.tar') res.end(tar);
    else if (q.url === '/Dockerfile') res.end('FROM busybox\nCMD ["echo", "plain"]\n');
    else {
      res.statusCode = 404;
      res.end('no');
    }
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  const port = (server.address() as AddressInfo).port;
  try {
    const r = await build(['-t', `${P}-url`, `http://127.0.0.1:${port}/ctx.tar`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await runImage(`${P}-url`), 'from-url\n');
    const d = await build(['-t', `${P}-urldf`, `http://127.0.0.1:${port}/Dockerfile`]);
    assert.equal(d.code, 0, d.stderr);
    assert.equal(await runImage(`${P}-urldf`), 'plain\n');
    const missing = await build([`http://127.0.0.1:${port}/nosuch.tar`]);
    const ref = await docker(['build', `http://127.0.0.1:${port}/nosuch.tar`], { env: LEGACY });
    assert.equal(missing.code, ref.code);
    assert.equal(missing.stderr, ref.stderr.replace(/^DEPRECATED:[^\n]*\n( {12}[^\n]*\n)*\n?/, ''));
  } finally {
    server.close();
  }
});

test('--network, --add-host (twice), --shm-size, --ulimit and --build-arg from the environment reach the RUN steps', async () => {
  const dir = files(join(tmp, 'opts'), {
    Dockerfile: 'FROM busybox\nARG FROMENV\nARG UNSET\nRUN echo "env=$FROMENV unset=${UNSET:-none}" > /o && grep myhost /etc/hosts | sort >> /o && df -k /dev/shm | tail -1 | awk \'{print $2}\' >> /o && ulimit -n >> /o\nCMD ["cat", "/o"]\n',
  });
  const r = await tdocker(['build', '--no-cache', '--network', 'host', '--add-host', 'myhost:10.1.2.3', '--add-host', 'myhost2:10.4.5.6', '--shm-size', '128m', '--ulimit', 'nofile=1024:2048', '--build-arg', 'FROMENV', '--build-arg', 'UNSET', '-t', `${P}-opts`, dir], {
    env: { ...LEGACY, FROMENV: 'yes' },
    timeout: 120_000,
  });
  images.push(`${P}-opts`);
  assert.equal(r.code, 0, r.stderr);
  // each --add-host its own extrahosts parameter, as docker sends them (one joined value is refused)
  assert.equal(await runImage(`${P}-opts`), 'env=yes unset=none\n10.1.2.3\tmyhost\n10.4.5.6\tmyhost2\n131072\n1024\n');
  assert.ok(existsSync(dir));
});

test('on a terminal: the progress line is rewritten in place and the build ends as docker\'s; save refuses the terminal', async () => {
  const dir = files(join(tmp, 'tty'), { Dockerfile: 'FROM busybox\nLABEL tty=1\n' });
  const tag = `${P}-tty`;
  images.push(tag);
  const s = await TmuxSession.start(`sh -c 'DOCKER_BUILDKIT=0 ${TDOCKER} build -t ${tag} ${dir}; echo "exit $?"; sleep 30'`, 120, 30);
  try {
    const screen = await s.waitFor(/^exit \d+$/m, 60_000);
    assert.match(screen, /^(DEPRECATED:[^\n]*\n( {12}[^\n]*\n)*\n)?Sending build context to Docker daemon {2}2\.048kB\nStep 1\/2 : FROM busybox\n ---> [0-9a-f]{12}\nStep 2\/2 : LABEL tty=1\n/);
    assert.match(screen, new RegExp(`Successfully built [0-9a-f]{12}\nSuccessfully tagged ${tag}:latest\nexit 0\n`));
  } finally {
    await s.kill();
  }
  const save = await TmuxSession.start(`sh -c '${TDOCKER} save busybox; echo "exit $?"; sleep 30'`, 120, 10);
  try {
    const screen = await save.waitFor(/^exit \d+$/m);
    assert.match(screen, /^cowardly refusing to save to a terminal\. Use the -o flag or redirect\nexit 1\n/);
  } finally {
    await save.kill();
  }
});

test('--compress: the gzipped context is what is counted and sent', async () => {
  const dir = files(join(tmp, 'gz'), { 'big.txt': 'a'.repeat(100_000), Dockerfile: 'FROM busybox\nCOPY big.txt /b\nCMD ["wc", "-c", "/b"]\n' });
  const r = await build(['--compress', '-t', `${P}-gz`, dir]);
  assert.equal(r.code, 0, r.stderr);
  const size = /^Sending build context to Docker daemon {2,}(\d+)B\r\r\n/.exec(r.stdout);
  assert.ok(size && Number(size[1]) < 1000, r.stdout.split('\n')[0]);
  assert.equal(await runImage(`${P}-gz`), '100000 /b\n');
});

test('the context is packed as docker packs it: a build after docker\'s is all cache hits, with the same image id', async () => {
  const dir = files(join(tmp, 'samehash'), {
    Dockerfile: 'FROM busybox\nCOPY sub /sub\nCOPY . /all\n',
    'sub/a': 'a\n',
    'sub/deeper/b': 'b\n',
    'top.txt': 't\n',
  });
  const ref = await docker(['build', '-q', '-t', `${P}-same:ref`, dir], { env: LEGACY });
  images.push(`${P}-same:ref`);
  assert.equal(ref.code, 0, ref.stderr);
  const r = await build(['-t', `${P}-same:td`, dir]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.match(/ ---> Using cache/g)?.length, 2, r.stdout);
  assert.match(r.stdout, new RegExp(`Successfully built ${ref.stdout.trim().slice(7, 19)}\n`));
});

/**
 * What a client sends for `build`, recorded by a unix socket standing in for the engine: it answers
 * /_ping with the engine's API version and /build with a built image, and keeps the request's query
 * and body. Only the bytes on the wire are compared this way; every other test uses the real engine.
 */
async function recordBuild(program: 'docker' | 'tdocker', args: string[], input?: string, asNobody = false): Promise<{ url: string; body: Buffer; result: RunResult }> {
  const sock = join(tmp, `rec-${program}.sock`);
  rmSync(sock, { force: true });
  let url = '';
  const chunks: Buffer[] = [];
  const server = createServer((req, res) => {
    if (req.url?.includes('/_ping')) {
      res.writeHead(200, { 'API-Version': '1.41', 'Content-Type': 'text/plain', OSType: 'linux' }).end('OK');
      return;
    }
    if (!req.url?.includes('/build')) {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"message":"not recorded"}');
      return;
    }
    url = req.url.replace(/^\/v[\d.]+/, '');
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"aux":{"ID":"sha256:0123456789ab"}}\n{"stream":"Successfully built 0123456789ab\\n"}\n'));
  });
  await new Promise<void>((res) => server.listen(sock, res));
  let result: RunResult;
  try {
    const env = { ...LEGACY, DOCKER_HOST: `unix://${sock}` };
    const path = program === 'docker' ? DOCKER : TDOCKER;
    if (asNobody) {
      spawnSync('chmod', ['777', sock]);
      result = await runProgram('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', path, 'build', ...args], { input, env: { ...env, HOME: tmp }, timeout: 60_000 });
    } else {
      result = await runProgram(path, ['build', ...args], { input, env, timeout: 60_000 });
      assert.equal(result.code, 0, `${program}: ${result.stderr}`);
    }
  } finally {
    server.close();
  }
  return { url, body: Buffer.concat(chunks), result };
}

/**
 * A tar's blocks with what two builds of the same files may differ in made equal: the random name
 * docker and tdocker give a Dockerfile sent from elsewhere (in names, .dockerignore and checksums),
 * and the time of the entries made at build time (`made`). Zero blocks are left out: docker's tar
 * with an added Dockerfile stops short of the archive's end (its ReplaceFileTarWrapper closes the pipe
 * before the tar writer), without the last entry's padding and the two zero blocks.
 */
function tarBlocks(tar: Buffer, made: RegExp): { walked: string[]; made: string[] } {
  const out = { walked: [] as string[], made: [] as string[] };
  for (let off = 0; off + 512 <= tar.length; ) {
    const h = Buffer.from(tar.subarray(off, off + 512));
    if (h.every((b) => b === 0)) {
      off += 512;
      continue;
    }
    const size = parseInt(h.subarray(124, 136).toString('latin1').replace(/\0.*$/, '') || '0', 8);
    const type = String.fromCharCode(h[156]);
    const body = ['0', 'x'].includes(type) ? tar.subarray(off + 512, off + 512 + size) : Buffer.alloc(0);
    const name = h.subarray(0, 100).toString('latin1').replace(/\0.*$/, '');
    const generated = made.test(name);
    const text = (b: Buffer): string => b.toString('latin1').replace(/\.dockerfile\.[0-9a-f]{20}/g, '.dockerfile.RANDOM');
    if (generated) h.fill(0x20, 136, 156); // mtime and checksum
    // what is appended after the walk comes in Go's map order, which is random
    (generated ? out.made : out.walked).push(text(h) + text(body));
    off += 512 + (['0', 'x'].includes(type) ? Math.ceil(size / 512) * 512 : 0);
  }
  out.made.sort();
  return out;
}

test('the context tar and query are docker\'s byte for byte: Go\'s headers, walk order, hard links, long and non-ASCII names, special files', async (t) => {
  const dir = files(join(tmp, 'wire'), {
    Dockerfile: 'FROM busybox\n',
    'a.txt': 'hi\n',
    'sub/b': 'x\n',
    'sub/deep/c': 'c\n',
    'é.txt': '',
    [`${'p'.repeat(120)}/f`]: '',
    [`${'q'.repeat(60)}/${'r'.repeat(60)}/${'s'.repeat(60)}`]: 's\n',
    'skip/keep/k': 'k\n',
    'skip/drop/d': 'd\n',
    'x.log': 'l\n',
    '.dockerignore': 'skip\n!skip/keep\n*.log\n',
  });
  mkdirSync(join(dir, 'empty'));
  spawnSync('ln', ['-s', 'a.txt', join(dir, 'link')]);
  spawnSync('ln', [join(dir, 'a.txt'), join(dir, 'hard')]);
  spawnSync('chmod', ['4755', join(dir, 'sub/b')]);
  // a fifo and a device are sent as such; a socket cannot be, and is logged and left out
  spawnSync('mkfifo', [join(dir, 'sub/fifo')]);
  spawnSync('mknod', [join(dir, 'sub/null'), 'c', '1', '3']);
  const sockServer = netServer();
  await new Promise<void>((res) => sockServer.listen(join(dir, 'sub/s.sock'), res));
  t.after(() => sockServer.close());
  const outside = files(join(tmp, 'wire-df'), { 'Dockerfile.out': 'FROM busybox\nCOPY . /x\n' });
  const nothing = /^$/;
  const random = /^\.dockerfile\.[0-9a-f]{20}$/;
  const cases: [string[], RegExp, string?][] = [
    [['-t', 'wire:1', '-t', 'wire:2', '--build-arg', 'A=1', '--label', 'l=v', '--add-host', 'a:1.2.3.4', '--add-host', 'b:5.6.7.8', '--ulimit', 'nofile=10:20', '--network', 'host', '--rm=false', '-q', dir], nothing],
    [['-f', join(outside, 'Dockerfile.out'), dir], random],
    [['-f', '-', dir], random, 'FROM busybox\nCOPY . /y\n'],
    // the Dockerfile is written to a temporary directory and that directory packed
    [['-'], /^Dockerfile$/, 'FROM busybox\n'],
  ];
  // without a .dockerignore of the context's own, one is made listing the random name
  const bare = files(join(tmp, 'wire-bare'), { 'a.txt': 'a\n' });
  cases.push([['-f', join(outside, 'Dockerfile.out'), bare], /^(\.dockerfile\.[0-9a-f]{20}|\.dockerignore)$/]);
  for (const [args, made, input] of cases) {
    const ref = await recordBuild('docker', args, input);
    const ours = await recordBuild('tdocker', args, input);
    const normal = (u: string): string => u.replace(/\.dockerfile\.[0-9a-f]{20}/g, '.dockerfile.RANDOM');
    assert.equal(normal(ours.url), normal(ref.url), args.join(' '));
    // docker's log line for the socket (logrus' format), on stderr
    const logged = (r: RunResult): string[] => r.stderr.split('\n').filter((l) => l.includes('level=')).map((l) => l.replace(/^time="[^"]+"/, 'time=T'));
    assert.deepEqual(logged(ours.result), logged(ref.result), args.join(' '));
    assert.deepEqual(tarBlocks(ours.body, made), tarBlocks(ref.body, made), args.join(' '));
    // ours is a whole archive: blocks, ending in two zero blocks
    assert.ok(ours.body.length % 512 === 0 && ours.body.subarray(-1024).every((b) => b === 0), args.join(' '));
  }
});

test('as a user who cannot read part of the context: docker\'s "error checking context" messages and status', async (t) => {
  // nobody must reach the checkout to run tdocker at all
  if (spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'test', '-r', join(TDOCKER, '..', '..', 'dist', 'tdocker.cjs')]).status !== 0) {
    t.skip('user nobody cannot read this checkout');
    return;
  }
  spawnSync('chmod', ['755', tmp]);
  const file = files(join(tmp, 'np-file'), { Dockerfile: 'FROM busybox\n', 'a.txt': 'a\n', 'sub/secret': 's\n' });
  const dir = files(join(tmp, 'np-dir'), { Dockerfile: 'FROM busybox\n', 'locked/x': 'x\n' });
  spawnSync('chmod', ['-R', 'a+rX', file, dir]);
  spawnSync('chmod', ['600', join(file, 'sub/secret')]);
  spawnSync('chmod', ['700', join(dir, 'locked')]);
  for (const ctx of [file, dir]) {
    const ref = (await recordBuild('docker', [ctx], undefined, true)).result;
    const ours = (await recordBuild('tdocker', [ctx], undefined, true)).result;
    assert.equal(ours.code, ref.code, ours.stderr);
    assert.equal(ours.code, 1);
    const last = (r: RunResult): string => r.stderr.split('\n').filter((l) => l && !/^ |DEPRECATED/.test(l)).join('\n');
    assert.equal(last(ours), last(ref));
  }
  assert.match((await recordBuild('tdocker', [file], undefined, true)).result.stderr, /^(DEPRECATED:[^\n]*\n( {12}[^\n]*\n)*\n)?error checking context: no permission to read from '.*\/sub\/secret'\n$/);
  assert.match((await recordBuild('tdocker', [dir], undefined, true)).result.stderr, /^(DEPRECATED:[^\n]*\n( {12}[^\n]*\n)*\n)?error checking context: can't stat '.*\/locked'\n$/);
});
