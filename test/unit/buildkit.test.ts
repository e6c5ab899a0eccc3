import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { walkTree } from '../../src/engine/buildkit/fssync.js';
import { unitBytes } from '../../src/format/buildkit.js';

test('unitBytes: tonistiigi/units %.2f', () => {
  assert.equal(unitBytes(2), '2B');
  assert.equal(unitBytes(999), '999B');
  assert.equal(unitBytes(1234), '1.23kB');
  assert.equal(unitBytes(5_600_000), '5.60MB');
});

test('walkTree: Go order, .dockerignore excludes, include patterns with their parents only', async () => {
  const d = mkdtempSync(join(tmpdir(), 'tdbk-walk-'));
  try {
    for (const f of ['b/x.txt', 'b/y.log', 'a', 'B', 'c/d/e']) {
      mkdirSync(join(d, f, '..'), { recursive: true });
      writeFileSync(join(d, f), f);
    }
    const all = await walkTree(d, { excludes: ['b/*.log'], includes: [] });
    assert.deepEqual(all.map((e) => e.path), ['B', 'a', 'b', 'b/x.txt', 'c', 'c/d', 'c/d/e']);
    assert.equal(all.find((e) => e.path === 'b')!.mode >>> 0, (0x80000000 | 0o755) >>> 0);
    assert.equal(all.find((e) => e.path === 'a')!.uid, 0);
    const some = await walkTree(d, { excludes: [], includes: ['c/d/e', 'a'] });
    assert.deepEqual(some.map((e) => e.path), ['a', 'c', 'c/d', 'c/d/e']);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('--metadata-file: buildx\'s keys for the docker driver, by engine API version, as Go\'s MarshalIndent writes them', async () => {
  const { buildMetadata, metadataJSON } = await import('../../src/commands/image/buildkit.js');
  const id = 'sha256:' + 'a'.repeat(64);
  // moby 20.10's exporter answers with the image digest only
  assert.equal(metadataJSON(buildMetadata('default', 'r1', id, ['x'], '1.41')), `{\n  "buildx.build.ref": "default/default/r1",\n  "containerimage.digest": "${id}"\n}`);
  // moby 24 and later: the config digest and the normalised names too
  assert.deepEqual(JSON.parse(metadataJSON(buildMetadata('ctx', 'r2', id, ['x', '127.0.0.1:5000/a/b:v1'], '1.43'))), {
    'buildx.build.ref': 'ctx/ctx/r2',
    'containerimage.config.digest': id,
    'containerimage.digest': id,
    'image.name': 'docker.io/library/x:latest,127.0.0.1:5000/a/b:v1',
  });
  // an exporter without an image (--output): the ref alone
  assert.equal(metadataJSON(buildMetadata('default', 'r3', '', [], '1.41')), '{\n  "buildx.build.ref": "default/default/r3"\n}');
  assert.equal(metadataJSON({ a: '<&>' }), '{\n  "a": "\\u003c\\u0026\\u003e"\n}');
});

test('--ssh specs: buildkit\'s agent provider errors and sources', async () => {
  const { parseSshSpecs } = await import('../../src/engine/buildkit/sshforward.js');
  const d = mkdtempSync(join(tmpdir(), 'tdbk-ssh-'));
  try {
    await assert.rejects(parseSshSpecs(['default'], {}), { message: 'invalid empty ssh agent socket, make sure SSH_AUTH_SOCK is set' });
    await assert.rejects(parseSshSpecs(['k=' + join(d, 'none')], {}), { message: `stat ${join(d, 'none')}: no such file or directory` });
    writeFileSync(join(d, 'notakey'), 'hello');
    await assert.rejects(parseSshSpecs(['k=' + join(d, 'notakey')], {}), { message: `failed to parse ${join(d, 'notakey')}: ssh: no key found` });
    const { createServer } = await import('node:net');
    const sock = join(d, 'agent.sock');
    const srv = createServer().listen(sock);
    await new Promise((r) => srv.once('listening', r));
    try {
      assert.deepEqual(await parseSshSpecs(['default'], { SSH_AUTH_SOCK: sock }), { default: { socket: sock } });
      assert.deepEqual(await parseSshSpecs(['=' + sock], {}), { default: { socket: sock } });
      await assert.rejects(parseSshSpecs(['a=' + sock, 'a=' + sock], {}), { message: 'invalid duplicate ID a' });
      await assert.rejects(parseSshSpecs([`a=${sock},${sock}`], {}), { message: 'only single socket allowed' });
    } finally {
      srv.close();
    }
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('--progress=rawjson: buildx\'s json.Encoder of client.SolveStatus for a status message as the engine sends it', async () => {
  const { type, decodeStatus } = await import('../../src/engine/buildkit/proto.js');
  const { rawJSON, goTimeJSON } = await import('../../src/format/buildkit.js');
  const T = type('StatusResponse');
  const d = 'sha256:' + 'b'.repeat(64);
  const msg = T.fromObject({
    vertexes: [
      { digest: d, inputs: ['sha256:' + 'c'.repeat(64)], name: '[2/2] RUN echo "a<b>"', started: { seconds: 1796189469, nanos: 123456000 } },
      { digest: 'sha256:' + 'c'.repeat(64), name: '[1/2] FROM docker.io/library/busybox', cached: true, started: { seconds: 1796189469, nanos: 0 }, completed: { seconds: 1796189469, nanos: 5 } },
    ],
    statuses: [{ ID: 'transferring context:', vertex: d, current: 1234, timestamp: { seconds: 1796189470, nanos: 100000000 }, started: { seconds: 1796189469, nanos: 900000000 } }],
    logs: [{ vertex: d, stream: 1, msg: Buffer.from('hello\n'), timestamp: { seconds: 1796189470, nanos: 200000000 } }],
  });
  const st = decodeStatus(Buffer.from(T.encode(msg).finish()).toString('base64'));
  assert.equal(
    rawJSON(st),
    `{"vertexes":[{"digest":"${d}","inputs":["sha256:${'c'.repeat(64)}"],"name":"[2/2] RUN echo \\"a\\u003cb\\u003e\\"","started":"2026-12-02T05:31:09.123456Z"},` +
      `{"digest":"sha256:${'c'.repeat(64)}","name":"[1/2] FROM docker.io/library/busybox","started":"2026-12-02T05:31:09Z","completed":"2026-12-02T05:31:09.000000005Z","cached":true}],` +
      `"statuses":[{"id":"transferring context:","vertex":"${d}","current":1234,"timestamp":"2026-12-02T05:31:10.1Z","started":"2026-12-02T05:31:09.9Z"}],` +
      `"logs":[{"vertex":"${d}","stream":1,"data":"aGVsbG8K","timestamp":"2026-12-02T05:31:10.2Z"}]}\n`,
  );
  // a message with only a log: the other lists left out; Go's zero time where the engine gave none
  assert.equal(rawJSON({ vertexes: [], statuses: [], logs: [{ vertex: d, stream: 2, msg: Buffer.from('x'), timestamp: undefined }] }), `{"logs":[{"vertex":"${d}","stream":2,"data":"eA==","timestamp":"0001-01-01T00:00:00Z"}]}\n`);
  assert.equal(goTimeJSON({ seconds: 0, nanos: 0 }), '1970-01-01T00:00:00Z');
});
