/** Attach to a container, start it if asked, stream until it ends; shared by run, start -a and attach. */
import type { Readable } from 'node:stream';
import type { Cli } from '../../cli/cli.js';
import type { EngineClient } from '../../cli/engine-client.js';
import { StatusError, UnexpectedEOF } from '../../cli/errors.js';
import { forwardingSignals } from '../../cli/signals.js';
import { runSession } from '../../stream/session.js';
import { makeRaw, onResize, onTermination, proxySignals, terminalSize } from '../../stream/terminal.js';

export interface AttachFlow {
  id: string;
  tty: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  detachKeys: string;
  sigProxy: boolean;
  /** called after attaching, before streaming (start the container here) */
  start?: () => Promise<void>;
  /**
   * SIGINT/SIGTERM end the stream (after forwarding the signal when sigProxy) instead of waiting for
   * the container: `start -a` runs under docker's cancellable command context, run and attach do not
   */
  cancelOnTermination?: boolean;
}

export interface WaitResult {
  StatusCode: number;
  Error?: { Message?: string } | null;
}

/**
 * POST /containers/ID/wait and read its answer. An answer cut short (the engine gone, the connection
 * dropped) is docker's `unexpected EOF`.
 */
export async function waitExit(engine: EngineClient, id: string, condition?: string): Promise<WaitResult> {
  return readWaitBody(await waitRequest(engine, id, condition));
}

/**
 * The wait request sent, its answer's body to come: on a socket of our own (streamBody), which spares
 * `run` node's http module and dockerode's request path.
 */
export async function waitRequest(engine: EngineClient, id: string, condition?: string): Promise<Readable> {
  const { body } = await engine.streamBody(`/containers/${encodeURIComponent(id)}/wait`, { condition }, 'POST');
  return body;
}

/** The wait answer's JSON, read with 'data' and 'end' (streamBody's socket delivers no other way). */
export async function readWaitBody(res: Readable): Promise<WaitResult> {
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    res.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
    res.once('end', resolve);
    res.once('close', resolve);
    res.once('error', () => reject(new UnexpectedEOF()));
  });
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as WaitResult;
  } catch {
    throw text.trim() === '' ? new UnexpectedEOF() : new StatusError(`invalid character '${text.trim()[0]}' looking for beginning of value`, 1);
  }
}

/** Send the terminal size; the first time, retry as docker does (the process may not be ready yet). */
export async function resizeTo(engine: EngineClient, path: string, cli: Cli, retries = 0): Promise<void> {
  const size = terminalSize(cli);
  if (!size) return;
  for (let i = 0; ; i++) {
    try {
      await engine.json({ method: 'POST', path, query: { h: String(size[0]), w: String(size[1]) } });
      return;
    } catch {
      // the container may not be running yet, or already gone
      if (i >= retries) return;
      await new Promise((r) => setTimeout(r, 10 * (i + 1)));
    }
  }
}

/** Returns true when the user detached. */
export async function attachAndStream(cli: Cli, engine: EngineClient, f: AttachFlow): Promise<boolean> {
  const query: Record<string, string> = { stream: '1', stdin: f.stdin ? '1' : '0', stdout: f.stdout ? '1' : '0', stderr: f.stderr ? '1' : '0' };
  if (f.detachKeys) query.detachKeys = f.detachKeys;
  const socket = await engine.hijack(`/containers/${encodeURIComponent(f.id)}/attach`, query);
  const restore = f.tty && f.stdin ? makeRaw(cli) : () => {};
  const unresize = f.tty ? onResize(cli, () => void resizeTo(engine, `/containers/${f.id}/resize`, cli)) : () => {};
  const forwarded: Promise<unknown>[] = [];
  // run forwards with a TTY too (a SIGTERM sent to docker reaches the container); attach and start -a
  // ask for it only without one
  const unproxy = f.sigProxy
    ? proxySignals((sig) => {
        forwarded.push(engine.json({ method: 'POST', path: `/containers/${f.id}/kill`, query: { signal: sig } }).catch(() => {}));
      })
    : () => {};
  // docker catches every signal then, SIGPIPE too: a closed stdout is its write error (exit 1)
  const unforward = f.sigProxy ? forwardingSignals() : () => {};
  let cancel = (): void => {};
  const cancelled = new Promise<'cancelled'>((res) => (cancel = () => res('cancelled')));
  // without the proxy, run and attach still wait for the container after a SIGINT/SIGTERM (docker's
  // cancelled context ends the stream, not the wait): only the third signal forces the exit
  const uncancel = f.cancelOnTermination ? onTermination(() => cancel()) : f.sigProxy ? () => {} : onTermination(() => {});
  try {
    const session = runSession(cli, socket, { tty: f.tty, stdin: f.stdin, detachKeys: f.detachKeys });
    if (f.start) {
      try {
        await f.start();
      } catch (e) {
        socket.destroy();
        throw e;
      }
    }
    if (f.tty) await resizeTo(engine, `/containers/${f.id}/resize`, cli, 10);
    const r = await Promise.race([session, cancelled]);
    if (r === 'cancelled') {
      // the forwarded signal goes out before the connection is dropped (bounded: the engine may hang)
      await Promise.race([Promise.all(forwarded), new Promise((res) => setTimeout(res, 2000).unref())]);
      socket.destroy();
      return true;
    }
    return r.detached;
  } finally {
    uncancel();
    unforward();
    unproxy();
    unresize();
    restore();
  }
}
