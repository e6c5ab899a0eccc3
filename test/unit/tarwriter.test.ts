import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeHeader, paxRecord, splitUSTARPath, TarWriter } from '../../src/stream/tarwriter.js';
import { compareNames } from '../../src/engine/tarpack.js';

const field = (b: Buffer, at: number, len: number): string => b.subarray(at, at + len).toString('latin1');
const checksumOK = (b: Buffer): boolean => {
  let sum = 8 * 0x20;
  for (let i = 0; i < 512; i++) if (i < 148 || i >= 156) sum += b[i];
  return field(b, 148, 8) === `${sum.toString(8).padStart(6, '0')}\0 `;
};

test('a USTAR header as Go writes it: octal fields with a NUL, magic "ustar\\0" "00", checksum "%06o\\0 "', () => {
  const h = encodeHeader({ name: 'dir/', type: 'directory', mode: 0o40755, mtime: new Date(1_700_000_000_999), uid: 0, gid: 0 });
  assert.equal(h.length, 512);
  assert.equal(field(h, 0, 5), 'dir/\0');
  assert.equal(field(h, 100, 8), '0000755\0');
  assert.equal(field(h, 124, 12), '00000000000\0');
  // seconds, truncated
  assert.equal(field(h, 136, 12), `${Math.floor(1_700_000_000).toString(8).padStart(11, '0')}\0`);
  assert.equal(String.fromCharCode(h[156]), '5');
  assert.equal(field(h, 257, 8), 'ustar\x0000');
  assert.equal(field(h, 329, 16), '0000000\x000000000\0');
  assert.ok(checksumOK(h));
  const f = encodeHeader({ name: 'bin/su', type: 'file', mode: 0o104755, size: 3, mtime: new Date(0) });
  assert.equal(field(f, 100, 8), '0004755\0');
  assert.equal(String.fromCharCode(f[156]), '0');
  const l = encodeHeader({ name: 'hard', type: 'link', linkname: 'a.txt', mode: 0o644, mtime: new Date(0) });
  assert.equal(String.fromCharCode(l[156]), '1');
  assert.equal(field(l, 157, 6), 'a.txt\0');
});

test('long ASCII names split into prefix and name at a slash; otherwise a PAX header "PaxHeaders.0"', () => {
  const long = `${'q'.repeat(60)}/${'r'.repeat(60)}/s`;
  assert.deepEqual(splitUSTARPath(long), [`${'q'.repeat(60)}/${'r'.repeat(60)}`, 's']);
  assert.equal(splitUSTARPath('short'), undefined);
  const h = encodeHeader({ name: long, mode: 0o644, mtime: new Date(0) });
  assert.equal(h.length, 512);
  assert.equal(field(h, 0, 2), 's\0');
  assert.equal(field(h, 345, 121), `${'q'.repeat(60)}/${'r'.repeat(60)}`);
  // a directory of 120 characters: no slash to split at
  const dir = `${'p'.repeat(120)}/`;
  const d = encodeHeader({ name: dir, type: 'directory', mode: 0o755, mtime: new Date(0) });
  assert.equal(d.length, 512 * 3);
  assert.equal(String.fromCharCode(d[156]), 'x');
  assert.equal(field(d, 0, 100), 'p'.repeat(100));
  assert.ok(checksumOK(d.subarray(0, 512)) && checksumOK(d.subarray(1024)));
  assert.equal(d.subarray(512, 1024).toString('latin1').replace(/\0+$/, ''), `131 path=${dir}\n`);
  assert.equal(field(d, 1024, 100), 'p'.repeat(100));
  // non-ASCII: the record keeps the UTF-8 name, the header names drop what is not ASCII
  const e = encodeHeader({ name: 'sub/é.txt', mode: 0o644, mtime: new Date(0) });
  assert.equal(field(e, 0, 23), 'sub/PaxHeaders.0/.txt\0\0');
  assert.equal(e.subarray(512, 532).toString().replace(/\0+$/, ''), '19 path=sub/é.txt\n');
  assert.equal(field(e, 1024, 10), 'sub/.txt\0\0');
});

test('sizes of 8 GiB and more, and times before 1970, go to PAX records; the header field is 0', () => {
  const big = encodeHeader({ name: 'big', mode: 0o644, size: 9_000_000_000, mtime: new Date(-1000) });
  assert.equal(big.subarray(512, 1024).toString().replace(/\0+$/, ''), '12 mtime=-1\n19 size=9000000000\n');
  assert.equal(field(big, 1024 + 124, 12), '00000000000\0');
  assert.equal(field(big, 1024 + 136, 12), '00000000000\0');
});

test('PAX records count their own length, across a change in its number of digits', () => {
  for (let n = 80; n < 1100; n++) {
    const r = paxRecord('path', 'x'.repeat(n));
    assert.equal(Number(r.split(' ')[0]), Buffer.byteLength(r), r.slice(0, 8));
  }
});

test('names sort as Go sorts them: by UTF-8 bytes (astral characters after U+FFFF-range ones)', () => {
  const names = ['b', 'a', 'B', '\u{1F600}', '\uFF21', 'a/', 'ab', 'é'];
  assert.deepEqual([...names].sort(compareNames), ['B', 'a', 'a/', 'ab', 'b', 'é', '\uFF21', '\u{1F600}']);
  assert.deepEqual(
    [...names].sort(compareNames),
    [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))),
  );
});

test('TarWriter: entries coalesced, a file sink checks its size, the archive ends in two zero blocks', async () => {
  const w = new TarWriter();
  const chunks: Buffer[] = [];
  w.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((res) => w.on('end', res));
  await new Promise<void>((res) => w.entry({ name: 'd/', type: 'directory', mtime: new Date(0) }, () => res()));
  const sink = w.entry({ name: 'd/f', size: 5, mtime: new Date(0) }, () => {})!;
  sink.write(Buffer.from('hello'));
  sink.end();
  w.entry({ name: 'g', mtime: new Date(0) }, Buffer.from('x'));
  w.finalize();
  await ended;
  const tar = Buffer.concat(chunks);
  assert.equal(tar.length, 512 * 2 + 512 * 2 + 1024 + 512);
  assert.equal(tar.subarray(1024, 1029).toString(), 'hello');
  assert.ok(tar.subarray(-1024).every((b) => b === 0));
  const w2 = new TarWriter();
  const failed = new Promise<Error>((res) => w2.on('error', res));
  w2.resume();
  const s2 = w2.entry({ name: 'f', size: 5, mtime: new Date(0) })!;
  s2.write(Buffer.from('hi'));
  s2.end();
  assert.match((await failed).message, /missed writing 3 bytes/);
});
