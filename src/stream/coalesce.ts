/**
 * A pass-through that hands on data in pieces of at least `size` bytes (the last one excepted).
 * A tar stream of many small files is mostly 512-byte headers, small bodies and padding: each piece
 * downstream (counting, HTTP chunked encoding, socket writes) has a cost of its own.
 */
import { Transform, type TransformCallback } from 'node:stream';

export class Coalesce extends Transform {
  private parts: Buffer[] = [];
  private length = 0;

  constructor(private readonly size = 256 * 1024) {
    super();
  }

  private joined(): Buffer {
    const b = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts, this.length);
    this.parts = [];
    this.length = 0;
    return b;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (chunk.length >= this.size) {
      // big enough on its own: passed on without a copy
      if (this.length) this.push(this.joined());
      this.push(chunk);
      cb();
      return;
    }
    this.parts.push(chunk);
    this.length += chunk.length;
    if (this.length >= this.size) this.push(this.joined());
    cb();
  }

  override _flush(cb: TransformCallback): void {
    if (this.length) this.push(this.joined());
    cb();
  }
}
