import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable, PassThrough } from 'node:stream';
import { parseNormalized, familiarString, familiarName, withDefaultTag, splitRepoTag } from '../../src/engine/refs.js';
import { authKey, encodeAuth, INDEX_SERVER } from '../../src/engine/auth.js';
import { progressBar, displayJSONMessages, JSONMessageError } from '../../src/stream/progress.js';

test('references normalise as distribution/reference does', () => {
  const u = parseNormalized('ubuntu');
  assert.equal(u.name, 'docker.io/library/ubuntu');
  assert.equal(withDefaultTag(u).tag, 'latest');
  assert.equal(familiarString(withDefaultTag(u)), 'ubuntu:latest');
  const p = parseNormalized('user/img:1.0');
  assert.equal(p.name, 'docker.io/user/img');
  assert.equal(familiarName(p), 'user/img');
  const h = parseNormalized('127.0.0.1:5000/x/y:tag');
  assert.deepEqual([h.domain, h.path, h.tag], ['127.0.0.1:5000', 'x/y', 'tag']);
  assert.equal(familiarString(h), '127.0.0.1:5000/x/y:tag');
  const d = parseNormalized(`busybox@sha256:${'a'.repeat(64)}`);
  assert.equal(d.digest, `sha256:${'a'.repeat(64)}`);
  assert.equal(withDefaultTag(d).tag, undefined);
  assert.equal(parseNormalized('index.docker.io/library/alpine').name, 'docker.io/library/alpine');
  assert.equal(parseNormalized('localhost/app').domain, 'localhost');
});

test('reference errors carry docker texts', () => {
  assert.throws(() => parseNormalized('UPPERCASE'), { message: 'invalid reference format: repository name (library/UPPERCASE) must be lowercase' });
  assert.throws(() => parseNormalized('bad:tag:x'), { message: 'invalid reference format' });
  assert.throws(() => parseNormalized('a'.repeat(64)), { message: `invalid repository name (${'a'.repeat(64)}), cannot specify 64-byte hexadecimal strings` });
  const r = splitRepoTag(`busybox@sha256:${'b'.repeat(64)}`);
  assert.ok(r instanceof Error);
  assert.equal(r.message, 'refusing to create a tag with a digest reference');
});

test('auth keys and X-Registry-Auth encoding', () => {
  assert.equal(authKey('docker.io'), INDEX_SERVER);
  assert.equal(authKey('127.0.0.1:5000'), '127.0.0.1:5000');
  const enc = encodeAuth({ username: 'u', password: '??>>', serveraddress: 'r' });
  assert.ok(!/[+/]/.test(enc));
  assert.deepEqual(JSON.parse(Buffer.from(enc, 'base64url').toString()), { username: 'u', password: '??>>', serveraddress: 'r' });
});

test('progress bar as jsonmessage draws it', () => {
  assert.equal(progressBar({ current: 0, total: 0 }, 200), '');
  assert.equal(progressBar({ current: 512, total: 1024 }, 80), '    512B/1.024kB');
  assert.equal(progressBar({ current: 512, total: 1024 }, 200), `[${'='.repeat(25)}>${' '.repeat(25)}]     512B/1.024kB`);
});

async function render(lines: object[], isTerminal: boolean): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await displayJSONMessages(Readable.from(lines.map((l) => JSON.stringify(l) + '\n')), out, { isTerminal, width: 80 });
  return Buffer.concat(chunks).toString();
}

test('plain progress: id: status lines, progress skipped', async () => {
  const got = await render(
    [
      { status: 'Pulling from library/busybox', id: 'latest' },
      { status: 'Pulling fs layer', progressDetail: {}, id: 'abc' },
      { status: 'Downloading', progressDetail: { current: 10, total: 20 }, progress: '[==>  ]', id: 'abc' },
      { status: 'Pull complete', progressDetail: {}, id: 'abc' },
      { status: 'Digest: sha256:00' },
      { status: 'Status: Downloaded newer image for busybox:latest' },
    ],
    false,
  );
  assert.equal(got, 'latest: Pulling from library/busybox\nabc: Pulling fs layer\nabc: Pull complete\nDigest: sha256:00\nStatus: Downloaded newer image for busybox:latest\n');
});

test('terminal progress: a line per id redrawn in place', async () => {
  const got = await render(
    [
      { status: 'Waiting', progressDetail: {}, id: 'l1' },
      { status: 'Downloading', progressDetail: { current: 1, total: 2 }, id: 'l1' },
    ],
    true,
  );
  assert.equal(got, '\n\x1b[1A\x1b[2K\rl1: Waiting \r\x1b[1B\x1b[1A\x1b[2K\rl1: Downloading       1B/2B\r\x1b[1B');
});

test('an error message in the stream becomes the error', async () => {
  await assert.rejects(render([{ status: 'x' }, { errorDetail: { message: 'denied' }, error: 'denied' }], false), (e: unknown) => e instanceof JSONMessageError && e.message === 'denied');
});
