import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { docker, sameAsDocker, tdocker, uniqueName } from '../helpers/run.js';

// images, image ls, inspect, history, tag, rmi, prune, save, load, import on this test's own names.
const P = uniqueName('tdimg');
const tmp = mkdtempSync(join(tmpdir(), 'tdimg-'));
const created: string[] = [];

async function ok(args: string[], input?: string | Buffer): Promise<string> {
  const r = await docker(args, { input });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

before(async () => {
  await ok(['tag', 'busybox', `${P}/mon-image:1.0`]);
  await ok(['tag', 'busybox', `${P}/mon-image:1.1`]);
  created.push(`${P}/mon-image:1.0`, `${P}/mon-image:1.1`);
  await ok(['run', '--name', `${P}-m`, 'busybox', 'touch', '/x']);
  // the second commit leaves the first image dangling
  const first = (await ok(['commit', '-c', `LABEL ${P}=yes`, `${P}-m`, `${P}-base:1`])).trim();
  await ok(['commit', '-c', `LABEL ${P}=yes`, `${P}-m`, `${P}-base:1`]);
  await ok(['rm', `${P}-m`]);
  created.push(`${P}-base:1`, first);
});

after(async () => {
  for (const c of created.reverse()) await docker(['rmi', '-f', c]);
  rmSync(tmp, { recursive: true, force: true });
});

for (const args of [
  ['images', `${P}/mon-image`],
  ['image', 'ls', `${P}/mon-image:1.1`, '--format', '{{.Tag}}'],
  ['images', '--filter', `reference=${P}/*`, '--format', '{{.Repository}}:{{.Tag}}'],
  ['images', '--filter', 'dangling=true', '--filter', `label=${P}`, '--format', '{{.Repository}}:{{.Tag}}'],
  ['images', '--no-trunc', '--format', '{{.ID}}', 'busybox'],
  ['images', '--digests', '--format', '{{.Repository}} {{.Digest}}', 'busybox'],
  ['images', '--digests', `${P}/mon-image`],
  ['images', '-q', `${P}/mon-image`],
  ['images', '--format', 'table {{.Repository}}\t{{.Tag}}\t{{.Size}}', `${P}/mon-image`],
  ['images', '--format', '{{json .Repository}}', `${P}/mon-image`],
  ['images', '--format', '{{json .}}', `${P}/mon-image:1.0`],
  ['images', '--filter', 'nosuch=1'],
  ['history', `${P}-base:1`],
  ['history', '--no-trunc', '--format', '{{.ID}} {{.CreatedBy}}', `${P}-base:1`],
  ['history', '-q', `${P}-base:1`],
  ['history', '-H=false', '--format', '{{.Size}}', 'busybox'],
  ['history', '-H=false', `${P}-base:1`],
  ['history', '-H=false', '--no-trunc', 'busybox'],
  ['history', '--format', 'json', `${P}-base:1`],
  ['image', 'history', 'nosuch'],
  ['image', 'inspect', '--format', '{{.Size}}', 'busybox'],
  ['image', 'inspect', '--format', '{{.Config.Cmd}} {{json .RootFS.Type}} {{index .Config.Labels "' + P + '"}}', `${P}-base:1`],
  ['image', 'inspect', 'nosuch'],
  ['image', 'inspect', `${P}-base:1`],
  ['tag', 'nosuch', `${P}-x`],
  ['tag', 'busybox', 'Bad:x'],
  ['tag', 'busybox:1:2', `${P}-x`],
  ['rmi', 'nosuch'],
  ['rmi', '-f', 'nosuch-x', 'nosuch-y'],
  ['rmi', '-f', 'nosuch-x', 'BAD'],
  ['image', 'rm', `${P}-nosuch:1`, 'nosuch2'],
  ['image', 'prune', '-f', '--filter', `label=${P}-none`],
]) {
  test(`same as docker: ${args.join(' ')}`, async () => {
    await sameAsDocker(args);
  });
}

test('images -a with a label filter: the tagged image and the dangling one', async () => {
  // the engine orders images created in the same second arbitrarily: compare the sorted rows
  const args = ['images', '-a', '--filter', `label=${P}=yes`, '--format', '{{.Repository}} {{.Tag}}'];
  const r = await tdocker(args);
  assert.equal(r.code, 0);
  assert.deepEqual(r.stdout.split('\n').sort(), ['', '<none> <none>', `${P}-base 1`]);
});

test('imagesFormat from config.json, overridden by --format', async () => {
  const cfg = join(tmp, 'cfg');
  spawnSync('mkdir', ['-p', cfg]);
  writeFileSync(join(cfg, 'config.json'), JSON.stringify({ imagesFormat: 'table {{.Repository}}:{{.Tag}}' }));
  const r = await sameAsDocker(['images', `${P}/mon-image`], { env: { DOCKER_CONFIG: cfg } });
  assert.deepEqual(r.stdout.split('\n').sort(), ['', 'REPOSITORY:TAG', `${P}/mon-image:1.0`, `${P}/mon-image:1.1`]);
  await sameAsDocker(['images', '--format', '{{.Tag}}', `${P}/mon-image:1.0`], { env: { DOCKER_CONFIG: cfg } });
});

test('tag then rmi: Untagged line, the image stays', async () => {
  const name = `${P}-rm:1`;
  const t = await tdocker(['tag', 'busybox', name]);
  assert.deepEqual([t.code, t.stdout, t.stderr], [0, '', '']);
  const r = await tdocker(['rmi', name]);
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, `Untagged: ${name}\n`, '']);
});

test('rmi of an image used by a container: conflict, exit 1; -f deletes', async () => {
  const name = `${P}-used:1`;
  await ok(['commit', '-c', `LABEL ${P}-used=1`, (await ok(['create', '--name', `${P}-u`, 'busybox'])).trim(), name]);
  try {
    await ok(['create', '--name', `${P}-u2`, name]);
    const id = (await ok(['image', 'inspect', '--format', '{{.ID}}', name])).trim();
    const r = await tdocker(['rmi', id]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`^Error response from daemon: conflict: unable to delete ${id.slice(7, 19)} \\(must be forced\\) - image is being used by stopped container [0-9a-f]{12}\n$`));
    const f = await tdocker(['rmi', '-f', name]);
    assert.equal(f.code, 0);
    assert.equal(f.stdout, `Untagged: ${name}\nDeleted: ${id}\n`);
  } finally {
    await docker(['rm', '-f', `${P}-u`, `${P}-u2`]);
    await docker(['rmi', '-f', name]);
  }
});

test('image prune with a label filter: Deleted Images and reclaimed space', async () => {
  const lbl = `${P}-prune`;
  await ok(['run', '--name', `${P}-pm`, 'busybox', 'true']);
  try {
    const dangling = (await ok(['commit', '-c', `LABEL ${lbl}=1`, `${P}-pm`])).trim();
    const r = await tdocker(['image', 'prune', '-f', '--filter', `label=${lbl}`]);
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `Deleted Images:\ndeleted: ${dangling}\n\nTotal reclaimed space: 0B\n`);
  } finally {
    await docker(['rm', '-f', `${P}-pm`]);
  }
});

test('image prune prompt: answering no removes nothing', async () => {
  const args = ['image', 'prune', '--filter', `label=${P}-none`];
  await sameAsDocker(args, { input: 'n\n' });
  const r = await tdocker(args, { input: 'n\n' });
  assert.equal(r.stdout, 'WARNING! This will remove all dangling images.\nAre you sure you want to continue? [y/N] ');
  const a = await tdocker(['image', 'prune', '-a', '--filter', `label=${P}-none`], { input: 'n\n' });
  assert.equal(a.stdout, 'WARNING! This will remove all images without at least one container associated to them.\nAre you sure you want to continue? [y/N] ');
});

test('save -o, rmi, load -i: Loaded image line; load -q', async () => {
  const name = `${P}-save:1`;
  const file = join(tmp, 'save.tar');
  await ok(['tag', 'busybox', name]);
  try {
    const s = await tdocker(['save', '-o', file, name]);
    assert.deepEqual([s.code, s.stdout, s.stderr], [0, '', '']);
    assert.ok(readFileSync(file).includes(Buffer.from('manifest.json')));
    await ok(['rmi', name]);
    const l = await tdocker(['load', '-i', file]);
    assert.equal(l.stderr, '');
    assert.equal(l.stdout, `Loaded image: ${name}\n`);
    await ok(['rmi', name]);
    const q = await tdocker(['load', '-q'], { input: readFileSync(file) });
    assert.equal(q.stdout, `Loaded image: ${name}\n`);
  } finally {
    await docker(['rmi', name]);
  }
});

test('save to stdout (a pipe) is the tar; errors as docker', async () => {
  const r = spawnSync('bin/tdocker', ['save', 'busybox'], { encoding: 'buffer', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0);
  assert.ok(r.stdout.includes(Buffer.from('manifest.json')));
  await sameAsDocker(['save', 'nosuch:1']);
  await sameAsDocker(['save']);
  await sameAsDocker(['load', '-i', '/nonexistent.tar']);
  await sameAsDocker(['save', '-o', '/nonexistent/dir/x.tar', 'busybox']);
  await sameAsDocker(['save', '-o', tmp, 'busybox']);
  writeFileSync(join(tmp, 'afile'), '');
  await sameAsDocker(['save', '-o', join(tmp, 'afile', 'x.tar'), 'busybox']);
});

test('import from stdin with -c and -m; from a file; from an http URL', async () => {
  const dir = join(tmp, 'rootfs');
  spawnSync('mkdir', ['-p', dir]);
  writeFileSync(join(dir, 'hello'), 'hi\n');
  const tarFile = join(tmp, 'rootfs.tar');
  assert.equal(spawnSync('tar', ['-C', dir, '-cf', tarFile, '.']).status, 0);
  const a = `${P}-imp:a`;
  const b = `${P}-imp:b`;
  const c = `${P}-imp:c`;
  const server: Server = createServer((_q, res) => res.end(readFileSync(tarFile)));
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  try {
    const r = await tdocker(['import', '-c', 'CMD ["/bin/x"]', '-c', 'ENV A=1', '-m', 'my message', '-', a], { input: readFileSync(tarFile) });
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^sha256:[0-9a-f]{64}\n$/);
    assert.equal(await ok(['image', 'inspect', '--format', '{{json .Config.Cmd}} {{.Config.Env}} {{.Comment}}', a]), '["/bin/x"] [A=1] my message\n');
    const f = await tdocker(['import', tarFile, b]);
    assert.match(f.stdout, /^sha256:[0-9a-f]{64}\n$/);
    assert.equal(await ok(['image', 'inspect', '--format', '{{.Comment}}', b]), 'Imported from -\n');
    const port = (server.address() as AddressInfo).port;
    const u = await tdocker(['import', `http://127.0.0.1:${port}/rootfs.tar`, c]);
    assert.equal(u.code, 0, u.stderr);
    // the engine downloads and reports it (not a terminal: the progress line alone)
    assert.match(u.stdout, new RegExp(`^Downloading from http://127.0.0.1:${port}/rootfs.tar\nsha256:[0-9a-f]{64}\n$`));
    await sameAsDocker(['import', `http://127.0.0.1:${port}/rootfs.tar`, c]);
    assert.equal(await ok(['image', 'inspect', '--format', '{{.Comment}}', c]), `Imported from http://127.0.0.1:${port}/rootfs.tar\n`);
    await sameAsDocker(['import', '/nonexistent.tar']);
  } finally {
    server.close();
    await docker(['rmi', a, b, c]);
    // the imports that a later one took the tag from are left untagged: removed too
    const dangling = (await docker(['images', '-q', '--no-trunc', '--filter', 'dangling=true'])).stdout.split('\n').filter(Boolean);
    for (const id of dangling) {
      const comment = (await docker(['image', 'inspect', '--format', '{{.Comment}}', id])).stdout;
      if (comment.startsWith('Imported from http://127.0.0.1:')) await docker(['rmi', id]);
    }
  }
});
