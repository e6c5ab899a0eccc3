import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { docker, sameAsDocker, tdocker, uniqueName } from '../helpers/run.js';

const created: string[] = [];
after(async () => {
  if (created.length) await docker(['rm', '-f', ...created]);
});

test('several missing targets: each error printed, exit 1, as docker', async () => {
  const a = uniqueName('tdnosuch');
  const b = uniqueName('tdnosuch');
  for (const verb of [['rm'], ['stop'], ['restart'], ['kill'], ['pause'], ['unpause'], ['wait']]) {
    const r = await sameAsDocker([...verb, a, b]);
    assert.equal(r.code, 1);
    if (verb[0] !== 'kill') assert.equal(r.stderr, `Error response from daemon: No such container: ${a}\nError response from daemon: No such container: ${b}\n`);
  }
  await sameAsDocker(['rm', '-f', a, b]);
});

test('inspect: missing object, bad --type', async () => {
  const n = uniqueName('tdnosuch');
  const r = await sameAsDocker(['inspect', n]);
  assert.equal(r.stdout, '[]\n');
  assert.equal(r.stderr, `Error: No such object: ${n}\n`);
  assert.equal(r.code, 1);
  const s = await sameAsDocker(['inspect', '-s', '-f', '{{.Id}}', 'busybox', 'bridge']);
  assert.equal(s.stderr, 'WARNING: --size ignored for image\nWARNING: --size ignored for network\n');
  const t = await sameAsDocker(['inspect', '--type', 'foo', n]);
  assert.equal(t.code, 1);
});

test('port: all mappings, one port, unpublished port; kill of a stopped container', async () => {
  const n = uniqueName('tdport');
  created.push(n);
  const r = await docker(['run', '-d', '--name', n, '-p', '127.0.0.1::80', '-p', '127.0.0.1::82/udp', 'busybox', 'sleep', '300']);
  assert.equal(r.code, 0, r.stderr);
  await sameAsDocker(['port', n]);
  await sameAsDocker(['port', n, '80']);
  await sameAsDocker(['port', n, '82/udp']);
  const u = await sameAsDocker(['port', n, '81']);
  assert.equal(u.stderr, `Error: No public port '81' published for ${n}\n`);
  assert.equal(u.code, 1);
  const p = await tdocker(['pause', n]);
  assert.equal(p.stdout, `${n}\n`);
  const s = await tdocker(['ps', '--filter', `name=${n}`, '--format', '{{.Names}} {{.State}}']);
  assert.equal(s.stdout, `${n} paused\n`);
  assert.equal((await tdocker(['unpause', n])).stdout, `${n}\n`);
  assert.equal((await tdocker(['kill', '-s', '9', n])).stdout, `${n}\n`);
  assert.equal((await tdocker(['wait', n])).stdout, '137\n');
  const k = await sameAsDocker(['kill', n]);
  assert.equal(k.code, 1);
});
