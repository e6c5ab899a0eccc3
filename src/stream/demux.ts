/**
 * docker's stdcopy: frames of [stream id, 0, 0, 0, size (uint32 BE)] + payload, routed to stdout
 * (1, and 0 = stdin echo) or stderr (2), with backpressure: the source pauses while a destination's
 * buffer is full. Payload slices are written without copying; frames split across chunks are joined.
 */
import type { Readable, Writable } from 'node:stream';

export class DemuxError extends Error {}

export interface DemuxOptions {
  /**
   * The chunks are the demuxer's to change (each is a fresh read nobody else holds): the payloads of
   * a chunk's frames are then moved together in place and written as one slice, instead of copied
   * into a new buffer.
   */
  ownChunks?: boolean;
  /**
   * With ownChunks: called when a chunk's bytes have all been handed on (written through to the
   * destinations, none left in their buffers), so that its memory can be read into again.
   */
  release?: () => void;
}

export function demux(source: Readable, stdout: Writable, stderr: Writable, o: DemuxOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    let header = Buffer.alloc(0);
    let remaining = 0;
    let target: Writable = stdout;
    let waiting = 0;
    let ended = false;
    let settled = false;
    const finish = (): void => {
      if (ended && waiting === 0 && !settled) {
        settled = true;
        cleanup();
        flushed([stdout, stderr]).then(resolve, reject);
      }
    };
    const onDrain = (): void => {
      waiting--;
      if (waiting === 0) {
        if (ended) finish();
        else source.resume();
      }
    };
    const write = (dst: Writable, chunk: Buffer): void => {
      if (!dst.write(chunk)) {
        waiting++;
        source.pause();
        dst.once('drain', onDrain);
      }
    };
    // payloads of consecutive frames for the same stream are written together: one write per run
    // of frames instead of one per frame (logs of short lines are millions of frames). All parts of
    // a run come from the chunk being parsed (a run is flushed at the end of each chunk).
    let parts: Buffer[] = [];
    let partsLen = 0;
    let chunk: Buffer = Buffer.alloc(0);
    // with ownChunks: the run is chunk[runStart, runEnd), payloads moved down over the headers
    let runStart = -1;
    let runEnd = -1;
    const flush = (): void => {
      if (runStart >= 0) {
        if (runEnd > runStart) write(target, chunk.subarray(runStart, runEnd));
        runStart = runEnd = -1;
        return;
      }
      if (partsLen === 0) return;
      write(target, parts.length === 1 ? parts[0] : Buffer.concat(parts, partsLen));
      parts = [];
      partsLen = 0;
    };
    const take = (from: number, to: number): void => {
      if (o.ownChunks) {
        if (runStart < 0) {
          runStart = from;
          runEnd = to;
        } else {
          if (from !== runEnd) chunk.copyWithin(runEnd, from, to);
          runEnd += to - from;
        }
        return;
      }
      parts.push(chunk.subarray(from, to));
      partsLen += to - from;
    };
    const onData = (data: Buffer): void => {
      chunk = data;
      let off = 0;
      while (off < chunk.length) {
        if (remaining > 0) {
          const n = Math.min(remaining, chunk.length - off);
          take(off, off + n);
          off += n;
          remaining -= n;
          continue;
        }
        const need = 8 - header.length;
        if (header.length === 0 && chunk.length - off >= 8) {
          const id = chunk[off];
          remaining = chunk.readUInt32BE(off + 4);
          off += 8;
          if (!pick(id)) return;
          continue;
        }
        header = Buffer.concat([header, chunk.subarray(off, off + need)]);
        off += Math.min(need, chunk.length - off);
        if (header.length === 8) {
          remaining = header.readUInt32BE(4);
          const id = header[0];
          header = Buffer.alloc(0);
          if (!pick(id)) return;
        }
      }
      if (o.ownChunks) {
        flush();
        // nothing of the chunk is kept (a header cut in two is copied): once the writes took it all,
        // its region can take the next read, and memory stays flat however long the stream
        if (o.release && stdout.writableLength === 0 && stderr.writableLength === 0) o.release();
      } else queueFlush();
    };
    // An HTTP body (logs) comes as one 'data' event per chunk of its chunked encoding, and the engine
    // makes a chunk of every frame: the events of one socket read all come before the next
    // microtask, so the run is written once they have.
    let flushQueued = false;
    const queueFlush = (): void => {
      if (flushQueued) return;
      flushQueued = true;
      queueMicrotask(() => {
        flushQueued = false;
        if (!settled) flush();
      });
    };
    const pick = (id: number): boolean => {
      const next = id === 0 || id === 1 ? stdout : id === 2 ? stderr : undefined;
      if (!next) {
        cleanup();
        reject(new DemuxError(`Unrecognized input header: ${id}`));
        return false;
      }
      if (next !== target) {
        flush();
        target = next;
      }
      return true;
    };
    const onEnd = (): void => {
      flush();
      ended = true;
      finish();
    };
    const onError = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const cleanup = (): void => {
      source.off('data', onData);
      source.off('end', onEnd);
      source.off('close', onEnd);
      source.off('error', onError);
    };
    source.on('data', onData);
    source.on('end', onEnd);
    source.on('close', onEnd);
    source.on('error', onError);
  });
}

/** Resolves once everything written so far to these destinations has been handed on. */
export function flushed(dsts: Writable[]): Promise<void> {
  const pending = [...new Set(dsts)].filter((d) => d.writableLength > 0 && !d.destroyed && !d.writableEnded);
  return Promise.all(
    pending.map(
      (d) =>
        new Promise<void>((res) => {
          // a zero-length write completes after every write queued before it
          d.write(Buffer.alloc(0), () => res());
        }),
    ),
  ).then(() => undefined);
}

/** Copy a raw (TTY) stream with backpressure; resolves when the source ends and dst has flushed. */
export function copyRaw(source: Readable, dst: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    let done1 = false;
    const done = (): void => {
      if (done1) return;
      done1 = true;
      source.off('data', onData);
      flushed([dst]).then(resolve, reject);
    };
    const onData = (chunk: Buffer): void => {
      if (!dst.write(chunk)) {
        source.pause();
        dst.once('drain', () => source.resume());
      }
    };
    source.on('data', onData);
    source.once('end', done);
    source.once('close', done);
    source.once('error', (e) => {
      source.off('data', onData);
      reject(e);
    });
  });
}

const ownReads = new WeakMap<object, () => void>();

/**
 * Mark a socket whose every chunk is a region of memory no one else holds (the engine's raw reads).
 * `release`, called while a chunk is being delivered, says that nothing of it is kept: the region
 * can take the next read.
 */
export function markOwnReads(socket: object, release: () => void = () => {}): void {
  ownReads.set(socket, release);
}

/** Whether each chunk this socket delivers is a region of memory no one else holds (see rawRequest). */
export function isOwnReads(socket: object): boolean {
  return ownReads.has(socket);
}

/** demux's options for a source: its chunks its own to change and to give back when it has. */
export function ownReadOptions(source: object): DemuxOptions {
  const release = ownReads.get(source);
  return release ? { ownChunks: true, release } : {};
}
