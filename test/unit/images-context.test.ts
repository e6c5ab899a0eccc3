import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import tarStream from 'tar-stream';
import { prepareContext, ProgressLines, readIgnore, type BuildContext } from '../../src/commands/image/build-context.js';
import { buildArgs, labelMap, parseUlimit, sendingLine } from '../../src/commands/image/build.js';

const tmp = mkdtempSync(join(tmpdir(), 'tdimg-unit-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const dir = join(tmp, name);
  for (const [f, c] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), c);
  }
  return dir;
}

async function entries(ctx: BuildContext): Promise<{ names: string[]; bytes: number; files: Map<string, string> }> {
  const ex = tarStream.extract();
  const names: string[] = [];
  const files = new Map<string, string>();
  let bytes = 0;
  ctx.body.on('data', (b: Buffer) => (bytes += b.length));
  ex.on('entry', (h, s, next) => {
    const chunks: Buffer[] = [];
    s.on('data', (c: unknown) => {
      chunks.push(c as Buffer);
    });
    s.on('end', () => {
      names.push(h.type === 'directory' ? `${h.name.replace(/\/$/, '')}/` : h.name);
      if (h.type === 'file') files.set(h.name, Buffer.concat(chunks).toString());
      assert.equal(h.uid, 0);
      assert.equal(h.gid, 0);
      next();
    });
  });
  const done = new Promise<void>((res) => ex.on('finish', () => res()));
  ctx.body.pipe(ex);
  await done;
  // in archive order: docker's walk (depth first, lexical), then what AddDockerfileToBuildContext appends
  return { names, bytes, files };
}

const opts = (context: string, file = '', stdin: Readable = Readable.from([])) => ({ context, file, stdin: () => stdin, cwd: tmp, env: process.env });

test('readIgnore: comments, blank lines, leading / and ./ cleaned, negations kept', () => {
  const dir = tree('ri', { '.dockerignore': '# c\n\n/abs\n./dot\n  spaced  \n!keep\n! /neg\r\n' });
  assert.deepEqual(readIgnore(dir), ['abs', 'dot', 'spaced', '!keep', '!neg']);
  assert.deepEqual(readIgnore(join(tmp, 'nosuchdir')), []);
});

test('directory context: ignored files and directories left out, exceptions walked without their directory entry', async () => {
  const dir = tree('ctx', {
    Dockerfile: 'FROM scratch\n',
    '.dockerignore': '*.log\n**/*.tmp\nsub\n!sub/keep.log\nDockerfile\n.dockerignore\nnested/*/skip\n',
    'a.txt': 'a',
    'top.log': 'x',
    'deep/d.log': 'x',
    'deep/x/y.tmp': 'x',
    'sub/c.log': 'x',
    'sub/keep.log': 'kept',
    'nested/a/skip': 'x',
    'nested/skip': 'x',
  });
  const ctx = await prepareContext(opts(dir));
  assert.equal(ctx.dockerfile, 'Dockerfile');
  const { names, bytes, files } = await entries(ctx);
  assert.deepEqual(names, ['.dockerignore', 'Dockerfile', 'a.txt', 'deep/', 'deep/d.log', 'deep/x/', 'nested/', 'nested/a/', 'nested/skip', 'sub/keep.log']);
  assert.equal(files.get('sub/keep.log'), 'kept');
  // ten 512-byte headers, six one-block bodies, the two closing blocks
  assert.equal(bytes, (10 + 6 + 2) * 512);
});

test('-f outside the context: sent under a random name; inside: its relative path', async () => {
  const dir = tree('fout', { 'x.txt': 'x' });
  const df = tree('fout-df', { 'Dockerfile.dev': 'FROM busybox\n' });
  const ctx = await prepareContext(opts(dir, join(df, 'Dockerfile.dev')));
  assert.match(ctx.dockerfile, /^\.dockerfile\.[0-9a-f]{20}$/);
  const { names, files } = await entries(ctx);
  // docker's AddDockerfileToBuildContext: appended, and listed in a .dockerignore made for it, so
  // that the builder leaves it (and the .dockerignore) out of what COPY sees
  assert.deepEqual(names, ['x.txt', ctx.dockerfile, '.dockerignore']);
  assert.equal(files.get(ctx.dockerfile), 'FROM busybox\n');
  assert.equal(files.get('.dockerignore'), `.dockerignore\n${ctx.dockerfile}\n`);
  // an existing .dockerignore gets the name added, in its place in the archive
  const withIgnore = tree('fout-ign', { '.dockerignore': '*.log', 'a.txt': 'a' });
  const c1 = await prepareContext(opts(withIgnore, join(df, 'Dockerfile.dev')));
  const e1 = await entries(c1);
  assert.deepEqual(e1.names, ['.dockerignore', 'a.txt', c1.dockerfile]);
  assert.equal(e1.files.get('.dockerignore'), `*.log\n${c1.dockerfile}\n`);
  const inside = tree('fin', { 'build/Dockerfile.x': 'FROM a\n' });
  const c2 = await prepareContext({ ...opts('fin', 'fin/build/Dockerfile.x') });
  assert.equal(c2.dockerfile, 'build/Dockerfile.x');
  assert.deepEqual((await entries(c2)).names, ['build/', 'build/Dockerfile.x']);
  assert.ok(inside);
});

test('stdin: a Dockerfile becomes a one-file tar; a tar is sent as is; both from stdin is refused', async () => {
  const ctx = await prepareContext(opts('-', '', Readable.from([Buffer.from('FROM busybox\n')])));
  assert.equal(ctx.dockerfile, 'Dockerfile');
  const { names, files } = await entries(ctx);
  assert.deepEqual(names, ['Dockerfile']);
  assert.equal(files.get('Dockerfile'), 'FROM busybox\n');
  const pack = tarStream.pack();
  pack.entry({ name: 'sub/Dockerfile.y' }, 'FROM a\n');
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as unknown as AsyncIterable<Buffer>) chunks.push(c);
  const t = await prepareContext(opts('-', 'sub/Dockerfile.y', Readable.from([Buffer.concat(chunks)])));
  assert.equal(t.dockerfile, 'sub/Dockerfile.y');
  assert.deepEqual((await entries(t)).names, ['sub/Dockerfile.y']);
  await assert.rejects(prepareContext(opts('-', '-')), { message: "invalid argument: can't use stdin for both build context and dockerfile" });
});

test('context errors: missing path, a file as context, missing Dockerfile component', async () => {
  await assert.rejects(prepareContext(opts('/nonexistent-ctx')), { message: 'unable to prepare context: path "/nonexistent-ctx" not found' });
  const dir = tree('nodf', { 'f.txt': 'x' });
  await assert.rejects(prepareContext(opts(dir)), { message: `unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat ${dir}/Dockerfile: no such file or directory` });
  await assert.rejects(prepareContext(opts(dir, join(dir, 'no', 'Dockerfile'))), { message: `unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat ${dir}/no: no such file or directory` });
  const lower = tree('lower', { dockerfile: 'FROM a\n' });
  assert.equal((await prepareContext(opts(lower))).dockerfile, 'dockerfile');
});

test('build flag values: ulimits, build args from the environment, labels', () => {
  assert.deepEqual(parseUlimit('nofile=1024:2048'), { Name: 'nofile', Soft: 1024, Hard: 2048 });
  assert.deepEqual(parseUlimit('nproc=10'), { Name: 'nproc', Soft: 10, Hard: 10 });
  assert.throws(() => parseUlimit('x'), { message: 'invalid ulimit argument: x' });
  assert.throws(() => parseUlimit('foo=1'), { message: 'invalid ulimit type: foo' });
  assert.throws(() => parseUlimit('nofile=a'), { message: 'strconv.ParseInt: parsing "a": invalid syntax' });
  assert.throws(() => parseUlimit('nofile=3:2'), { message: 'ulimit soft limit must be less than or equal to hard limit: 3 > 2' });
  assert.deepEqual(buildArgs(['A=1', 'B', 'C', 'D='], { B: 'env' }), { A: '1', B: 'env', C: null, D: '' });
  assert.deepEqual(labelMap(['a=b=c', 'k']), { a: 'b=c', k: '' });
});

test('progress lines: the context upload and a download, as moby\'s progress reader writes them', () => {
  assert.equal(sendingLine(2048, true), 'Sending build context to Docker daemon  2.048kB\r\r\n');
  assert.equal(sendingLine(512, false), 'Sending build context to Docker daemon     512B\r');
  assert.equal(sendingLine(31.46e6, true), 'Sending build context to Docker daemon  31.46MB\r\r\n');
  const out: string[] = [];
  const p = new ProgressLines('Downloading build context from remote url: http://h/x', 30, (s) => out.push(s));
  p.read(30);
  p.end();
  const line = 'Downloading build context from remote url: http://h/x [==================================================>]      30B/30B\r';
  assert.deepEqual(out, [line, line + '\r\n']);
});

test('directory entries are named "dir/" as Go\'s archive/tar names them (the builder hashes the names)', async () => {
  const dir = tree('dirnames', { Dockerfile: 'FROM scratch\n', 'sub/x/y': 'y' });
  const ctx = await prepareContext(opts(dir));
  const names: string[] = [];
  const ex = tarStream.extract();
  ex.on('entry', (h, s, next) => {
    names.push(h.name);
    s.resume();
    s.on('end', next);
  });
  const done = new Promise<void>((res) => ex.on('finish', () => res()));
  ctx.body.pipe(ex);
  await done;
  assert.deepEqual(names, ['Dockerfile', 'sub/', 'sub/x/', 'sub/x/y']);
});
