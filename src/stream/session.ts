/**
 * An attached session over a hijacked connection: local stdin to the container (half-closed at end
 * of input), the container's output to stdout/stderr (demultiplexed unless it is a TTY), detach keys.
 */
import type { Socket } from 'node:net';
import type { Cli } from '../cli/cli.js';
import { copyRaw, demux, ownReadOptions } from './demux.js';
import { detachFilter, parseDetachKeys } from './terminal.js';

export interface SessionOptions {
  tty: boolean;
  stdin: boolean;
  detachKeys?: string;
}

export interface SessionResult {
  detached: boolean;
}

export const DEFAULT_DETACH_KEYS = 'ctrl-p,ctrl-q';

export function sessionDetachKeys(cli: Cli, flag: string | undefined): string {
  return flag || cli.config.file.detachKeys || DEFAULT_DETACH_KEYS;
}

export function runSession(cli: Cli, socket: Socket, o: SessionOptions): Promise<SessionResult> {
  return new Promise((resolve, reject) => {
    let detached = false;
    let settled = false;
    // stdin is touched (and process.stdin made) only when it is attached
    const input = o.stdin ? cli.in.stream : undefined;
    const stopInput = (): void => {
      if (!input) return;
      input.off('data', onInput);
      input.off('end', onInputEnd);
      input.pause();
    };
    const finish = (r: SessionResult): void => {
      if (settled) return;
      settled = true;
      stopInput();
      resolve(r);
    };
    const keys = o.stdin && o.tty ? parseDetachKeys(o.detachKeys ?? DEFAULT_DETACH_KEYS) : [];
    const filter = detachFilter(keys, () => {
      detached = true;
      socket.destroy();
      finish({ detached: true });
    });
    const onInput = (chunk: Buffer | string): void => {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const out = keys.length ? filter(b) : b;
      if (out && !socket.destroyed && !socket.write(out)) {
        input?.pause();
        socket.once('drain', () => input?.resume());
      }
    };
    const onInputEnd = (): void => {
      if (!socket.destroyed) socket.end();
    };
    if (input) {
      input.on('data', onInput);
      input.on('end', onInputEnd);
      input.resume();
    }
    socket.on('error', (e) => {
      if (detached) return;
      if (!settled) {
        settled = true;
        stopInput();
        reject(e);
      }
    });
    const copy = o.tty ? copyRaw(socket, cli.out.stream) : demux(socket, cli.out.stream, cli.err.stream, ownReadOptions(socket));
    copy.then(() => finish({ detached }), (e) => {
      if (detached) finish({ detached: true });
      else if (!settled) {
        settled = true;
        stopInput();
        reject(e);
      }
    });
  });
}
