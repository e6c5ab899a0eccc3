/**
 * The local terminal for -t sessions: raw mode with restoration on every exit path, size changes
 * forwarded, detach keys recognised in the input, signals proxied.
 */
import type { Cli } from '../cli/cli.js';
import { takeHeldSignals } from '../cli/signals.js';
import type { ReadStream } from 'node:tty';

let restoreHooks: (() => void)[] = [];
let exitHookInstalled = false;

function restoreAll(): void {
  for (const r of restoreHooks.splice(0)) {
    try {
      r();
    } catch {
      // best effort on the way out
    }
  }
}

/** Put stdin in raw mode; returns the function that restores it (also run on process exit). */
export function makeRaw(cli: Cli): () => void {
  const s = cli.in.stream as ReadStream;
  if (!cli.in.isTTY || typeof s.setRawMode !== 'function') return () => {};
  s.setRawMode(true);
  let done = false;
  const restore = (): void => {
    if (done) return;
    done = true;
    s.setRawMode(false);
  };
  restoreHooks.push(restore);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', restoreAll);
  }
  return () => {
    restore();
    restoreHooks = restoreHooks.filter((r) => r !== restore);
  };
}

/** The terminal size, as [height, width]. */
export function terminalSize(cli: Cli): [number, number] | undefined {
  const out = cli.out.stream as NodeJS.WriteStream;
  if (!cli.out.isTTY || !out.columns) return undefined;
  return [out.rows, out.columns];
}

/** Call fn on every terminal resize; returns the unsubscribe function. */
export function onResize(cli: Cli, fn: () => void): () => void {
  const out = cli.out.stream as NodeJS.WriteStream;
  if (!cli.out.isTTY) return () => {};
  out.on('resize', fn);
  return () => out.off('resize', fn);
}

/** docker's detach keys ("ctrl-p,ctrl-q", "a,ctrl-x") as bytes. */
export function parseDetachKeys(spec: string): number[] {
  const keys: number[] = [];
  for (const part of spec.split(',')) {
    const p = part.trim();
    if (p.length === 1) {
      keys.push(p.charCodeAt(0));
      continue;
    }
    const m = /^ctrl-(.)$/.exec(p);
    if (!m) throw new Error(`Unknown character: '${p}'`);
    const c = m[1];
    if (c === '@') keys.push(0);
    else if (c >= 'a' && c <= 'z') keys.push(c.charCodeAt(0) - 96);
    else if (c === '[') keys.push(27);
    else if (c === '\\') keys.push(28);
    else if (c === ']') keys.push(29);
    else if (c === '^') keys.push(30);
    else if (c === '_') keys.push(31);
    else throw new Error(`Unknown character: '${p}'`);
  }
  return keys;
}

/**
 * A filter for the input stream, as moby/term's EscapeProxy that docker wraps its input in: a byte
 * that is the next key of the sequence is held back, and the last one calls onDetach; any other byte
 * gives back what was held before it, and the sequence starts over after it (the byte that broke it
 * is not taken as a new start: ctrl-p ctrl-p ctrl-q does not detach). Go reads a terminal one key at a
 * time where node may get two keys typed in quick succession in one read, so bytes are matched across
 * and within reads alike (docker's proxy matches only one-byte reads: a paste holding the sequence
 * detaches here, and not there).
 */
export function detachFilter(keys: number[], onDetach: () => void): (chunk: Buffer) => Buffer | undefined {
  let pos = 0;
  return (chunk) => {
    if (!keys.length) return chunk.length ? chunk : undefined;
    const out: number[] = [];
    for (const b of chunk) {
      if (b === keys[pos]) {
        pos++;
        if (pos === keys.length) {
          pos = 0;
          onDetach();
          return out.length ? Buffer.from(out) : undefined;
        }
        continue;
      }
      if (pos) out.push(...keys.slice(0, pos));
      pos = 0;
      out.push(b);
    }
    return out.length ? Buffer.from(out) : undefined;
  };
}

/** Forward the usual termination signals to fn (docker's --sig-proxy); returns the unsubscribe function. */
export function proxySignals(fn: (signal: NodeJS.Signals) => void): () => void {
  const sigs: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'].filter((s) => s !== 'SIGWINCH') as NodeJS.Signals[];
  const handlers = sigs.map((s) => {
    const h = (): void => fn(s);
    process.on(s, h);
    return [s, h] as const;
  });
  // what came before we were ready (held since the process started) goes first
  for (const s of takeHeldSignals()) if (sigs.includes(s)) fn(s);
  return () => {
    for (const [s, h] of handlers) process.off(s, h);
  };
}

/** Call fn on SIGINT or SIGTERM (what cancels docker's command context); returns the undo. */
export function onTermination(fn: (signal: NodeJS.Signals) => void): () => void {
  const sigs: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  for (const s of sigs) process.on(s, fn);
  return () => {
    for (const s of sigs) process.off(s, fn);
  };
}

/** Read a line without echo (raw mode), for password prompts. */
export function readSecret(cli: Cli): Promise<string> {
  return new Promise((resolve) => {
    const restore = makeRaw(cli);
    const s = cli.in.stream;
    let buf = '';
    const onData = (d: Buffer | string): void => {
      for (const ch of d.toString()) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          s.off('data', onData);
          s.pause();
          restore();
          resolve(buf);
          return;
        }
        if (ch === '\u0003') {
          restore();
          process.exit(130);
        }
        if (ch === '\u007f') buf = buf.slice(0, -1);
        else buf += ch;
      }
    };
    s.on('data', onData);
    s.resume();
  });
}
