import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import { demux, DemuxError } from '../../src/stream/demux.js';

function frame(id: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const h = Buffer.alloc(8);
  h[0] = id;
  h.writeUInt32BE(payload.length, 4);
  return Buffer.concat([h, payload]);
}

class Sink extends Writable {
  data = '';
  writes = 0;
  constructor(private readonly log: string[], private readonly tag: string, highWaterMark = 16384) {
    super({ highWaterMark });
  }
  override _write(c: Buffer, _e: BufferEncoding, cb: () => void): void {
    if (c.length === 0) {
      setImmediate(cb);
      return;
    }
    this.data += c.toString();
    this.writes++;
    this.log.push(`${this.tag}:${c.toString()}`);
    setImmediate(cb);
  }
}

test('frames go to the right stream, in order, whatever the chunking', async () => {
  const all = Buffer.concat([frame(1, 'out1\n'), frame(2, 'err1\n'), frame(1, 'out2\n'), frame(0, 'echo\n')]);
  for (const size of [1, 3, 8, 9, all.length]) {
    const log: string[] = [];
    const src = new PassThrough();
    const out = new Sink(log, 'o');
    const err = new Sink(log, 'e');
    const done = demux(src, out, err);
    for (let i = 0; i < all.length; i += size) src.write(all.subarray(i, i + size));
    src.end();
    await done;
    assert.equal(out.data, 'out1\nout2\necho\n');
    assert.equal(err.data, 'err1\n');
    assert.deepEqual(log.map((l) => l[0]), size === all.length ? ['o', 'e', 'o'] : log.map((l) => l[0]));
  }
});

test('consecutive frames of one stream are written together', async () => {
  const src = new PassThrough();
  const log: string[] = [];
  const out = new Sink(log, 'o');
  const err = new Sink(log, 'e');
  const done = demux(src, out, err);
  src.end(Buffer.concat(Array.from({ length: 1000 }, (_, i) => frame(1, `line ${i}\n`))));
  await done;
  assert.equal(out.writes, 1);
  assert.equal(out.data.split('\n').length, 1001);
});

test('backpressure: the source is paused while a destination is full, nothing is lost', async () => {
  const src = new PassThrough({ highWaterMark: 1024 });
  const log: string[] = [];
  const out = new Sink(log, 'o', 16);
  const err = new Sink(log, 'e', 16);
  const done = demux(src, out, err);
  const n = 2000;
  for (let i = 0; i < n; i++) {
    if (!src.write(frame(i % 3 === 0 ? 2 : 1, `${i}\n`))) await new Promise((r) => src.once('drain', r));
  }
  src.end();
  await done;
  const got = (out.data + err.data).trim().split('\n').map(Number).sort((a, b) => a - b);
  assert.equal(got.length, n);
  assert.equal(got[n - 1], n - 1);
});

test('an unknown stream id is docker\'s error', async () => {
  const src = new PassThrough();
  const done = demux(src, new Sink([], 'o'), new Sink([], 'e'));
  src.end(frame(7, 'x'));
  await assert.rejects(done, (e: Error) => e instanceof DemuxError && e.message === 'Unrecognized input header: 7');
});

test('ownChunks: payloads moved together in place give the same bytes, and written slices are never overwritten later', async () => {
  let seed = 7;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  const frames: Buffer[] = [];
  let expectOut = '';
  let expectErr = '';
  for (let i = 0; i < 3000; i++) {
    const id = rand(3) === 0 ? 2 : 1;
    const text = `${id === 1 ? 'o' : 'e'}${i}:${'x'.repeat(rand(40))}\n`;
    if (id === 1) expectOut += text;
    else expectErr += text;
    frames.push(frame(id, text));
  }
  const all = Buffer.concat(frames);
  // a sink that keeps the buffers it was given and reads them only at the end
  class Keeper extends Writable {
    kept: Buffer[] = [];
    override _write(c: Buffer, _e: BufferEncoding, cb: () => void): void {
      this.kept.push(c);
      setImmediate(cb);
    }
  }
  const src = new PassThrough();
  const out = new Keeper({ highWaterMark: 256 });
  const err = new Keeper({ highWaterMark: 256 });
  const done = demux(src, out, err, { ownChunks: true });
  for (let i = 0; i < all.length; ) {
    const n = 1 + rand(5000);
    // each chunk is a fresh copy, as the hijacked socket's reads are
    src.write(Buffer.from(all.subarray(i, i + n)));
    i += n;
  }
  src.end();
  await done;
  assert.equal(Buffer.concat(out.kept).toString(), expectOut);
  assert.equal(Buffer.concat(err.kept).toString(), expectErr);
});

test('release: a chunk is given back only when all its bytes were written through; reading over it then loses nothing', async () => {
  let seed = 11;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  const frames: Buffer[] = [];
  let expectOut = '';
  let expectErr = '';
  for (let i = 0; i < 4000; i++) {
    const id = rand(4) === 0 ? 2 : 1;
    const text = `${i}:${'z'.repeat(rand(60))}\n`;
    if (id === 1) expectOut += text;
    else expectErr += text;
    frames.push(frame(id, text));
  }
  const all = Buffer.concat(frames);
  // written through at once (as a file or /dev/null), or kept by reference and taken later (a pipe)
  class Through extends Writable {
    got: Buffer[] = [];
    override _write(c: Buffer, _e: BufferEncoding, cb: () => void): void {
      this.got.push(Buffer.from(c));
      cb();
    }
  }
  class Later extends Writable {
    kept: Buffer[] = [];
    override _write(c: Buffer, _e: BufferEncoding, cb: () => void): void {
      this.kept.push(c);
      setImmediate(cb);
    }
  }
  for (const Kind of [Through, Later]) {
    // a reader as the engine's raw reads: one region, read over when it was given back
    const src = new EventEmitter() as EventEmitter & { pause(): void; resume(): void };
    let paused = false;
    src.pause = () => (paused = true);
    src.resume = () => {
      paused = false;
      pump();
    };
    let region = Buffer.alloc(8192);
    let releases = 0;
    let chunks = 0;
    let released = false;
    const out = new Kind({ highWaterMark: 512 });
    const err = new Kind({ highWaterMark: 512 });
    const done = demux(src as never, out, err, { ownChunks: true, release: () => (released = true) });
    let at = 0;
    let finished: () => void = () => {};
    const pumped = new Promise<void>((res) => (finished = res));
    const pump = (): void => {
      while (!paused && at < all.length) {
        const n = 1 + rand(3000);
        const chunk = region.subarray(0, Math.min(n, all.length - at));
        all.copy(chunk, 0, at, at + chunk.length);
        at += chunk.length;
        released = false;
        chunks++;
        src.emit('data', chunk);
        if (released) releases++;
        else region = Buffer.alloc(8192);
      }
      if (at >= all.length) finished();
    };
    pump();
    await pumped;
    src.emit('end');
    await done;
    const text = (w: Writable): string => Buffer.concat((w as Through).got ?? (w as Later).kept).toString();
    assert.equal(text(out), expectOut, Kind.name);
    assert.equal(text(err), expectErr, Kind.name);
    if (Kind === Through) assert.equal(releases, chunks);
    else assert.equal(releases, 0);
  }
});

test('BodyReader: a chunked body undone in place whatever the read boundaries; a Content-Length body counted', async () => {
  const { BodyReader } = await import('../../src/engine/hijack.js');
  let seed = 3;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  const payload: Buffer[] = [];
  const wire: Buffer[] = [];
  for (let i = 0; i < 400; i++) {
    const data = Buffer.from(`${i}:${'y'.repeat(rand(300))}|`);
    payload.push(data);
    wire.push(Buffer.from(`${data.length.toString(16)}${i % 5 === 0 ? ';ext=1' : ''}\r\n`), data, Buffer.from('\r\n'));
  }
  wire.push(Buffer.from('0\r\n\r\n'));
  const all = Buffer.concat(wire);
  for (const maxRead of [1, 7, 512, 1 << 16]) {
    const r = new BodyReader({ 'transfer-encoding': 'chunked' });
    const out: Buffer[] = [];
    for (let i = 0; i < all.length; ) {
      const n = 1 + rand(maxRead);
      out.push(Buffer.from(r.read(Buffer.from(all.subarray(i, i + n)))));
      i += n;
    }
    assert.ok(r.done);
    assert.ok(Buffer.concat(out).equals(Buffer.concat(payload)), `reads of up to ${maxRead}`);
  }
  const fixed = new BodyReader({ 'content-length': '5' });
  assert.equal(fixed.read(Buffer.from('abc')).toString(), 'abc');
  assert.equal(fixed.read(Buffer.from('defgh')).toString(), 'de');
  assert.ok(fixed.done);
});

test('BodyReader: size lines in upper or lower case, with blanks or extensions, split anywhere; a bad size line ends the body', async () => {
  const { BodyReader } = await import('../../src/engine/hijack.js');
  const payload = Buffer.alloc(0xabc, 0x41);
  const wire = Buffer.concat([Buffer.from('ABC \r\n'), payload, Buffer.from('\r\n1f;name="v;x"\r\n'), Buffer.alloc(0x1f, 0x42), Buffer.from('\r\n00\r\n\r\n')]);
  for (let cut = 1; cut < 40; cut++) {
    const r = new BodyReader({ 'transfer-encoding': 'chunked' });
    const got = [r.read(Buffer.from(wire.subarray(0, cut))), r.read(Buffer.from(wire.subarray(cut)))];
    assert.ok(r.done, `cut at ${cut}`);
    assert.ok(Buffer.concat(got).equals(Buffer.concat([payload, Buffer.alloc(0x1f, 0x42)])), `cut at ${cut}`);
  }
  const bad = new BodyReader({ 'transfer-encoding': 'chunked' });
  assert.equal(bad.read(Buffer.from('3\r\nabc\r\nzz\r\nmore')).toString(), 'abc');
  assert.ok(bad.done);
});

test('peek: the start of a stream looked at, then all of it read on, small or large, and a short one ended', async () => {
  const { peek, readAll } = await import('../../src/stream/peek.js');
  const { Readable } = await import('node:stream');
  const parts = Array.from({ length: 50 }, (_, i) => Buffer.alloc(100, i));
  const { head, whole } = await peek(Readable.from(parts), 1024);
  assert.ok(head.length >= 1024 && head.length < 1124, String(head.length));
  assert.ok((await readAll(whole)).equals(Buffer.concat(parts)));
  const short = await peek(Readable.from([Buffer.from('FROM busybox\n')]), 1024);
  assert.equal(short.head.toString(), 'FROM busybox\n');
  assert.equal((await readAll(short.whole)).toString(), 'FROM busybox\n');
  const empty = await peek(Readable.from([]), 1024);
  assert.equal(empty.head.length, 0);
  assert.equal((await readAll(empty.whole)).length, 0);
});
