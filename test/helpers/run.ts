/**
 * End-to-end helpers: spawn bin/tdocker (and the reference docker) as a user would, against the real
 * engine. No mocks. Names are unique per test so tests stay independent.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TDOCKER = join(ROOT, 'bin', 'tdocker');
export const DOCKER = process.env.TDOCKER_REFERENCE ?? 'docker';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  input?: string | Buffer;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** kill the process after this many ms (the test then fails on the signal) */
  timeout?: number;
}

export function runProgram(program: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...opts.env };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const child = spawn(program, args, { cwd: opts.cwd ?? ROOT, env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.stdin.on('error', () => {});
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else child.stdin.end();
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeout ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/** Run bin/tdocker. */
export function tdocker(args: string[], opts?: RunOptions): Promise<RunResult> {
  return runProgram(TDOCKER, args, opts);
}

/** Run the reference docker client. */
export function docker(args: string[], opts?: RunOptions): Promise<RunResult> {
  return runProgram(DOCKER, args, opts);
}

/** A name no other test uses: prefix-<random>. */
export function uniqueName(prefix = 'td'): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** tdocker names itself where docker says "docker": map it back for comparisons. */
export function asDocker(text: string): string {
  return text.replace(/\btdocker\b/g, 'docker');
}

/**
 * Run the same arguments through docker and tdocker and return both results, tdocker's with its own
 * name mapped to docker's. Use only for commands whose output does not depend on when they run.
 */
export async function both(args: string[], opts?: RunOptions): Promise<{ ref: RunResult; ours: RunResult }> {
  const ref = await docker(args, opts);
  const o = await tdocker(args, opts);
  return { ref, ours: { ...o, stdout: asDocker(o.stdout), stderr: asDocker(o.stderr) } };
}

/** Replace what legitimately differs between two runs (IDs, times, ephemeral ports) by placeholders. */
export function normalize(text: string): string {
  const ids = new Map<string, string>();
  const id = (h: string): string => {
    const key = h.slice(0, 12);
    if (!ids.has(key)) ids.set(key, `<ID${ids.size + 1}>`);
    return ids.get(key)!;
  };
  const ago = '(?:[Ll]ess than a second|[Aa]bout a minute|[Aa]bout an hour|\\d+ (?:seconds?|minutes?|hours?|days?|weeks?|months?|years?))';
  return text
    .replace(/(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/g, id)
    .replace(/(?<![0-9a-zA-Z])[0-9a-f]{12}(?![0-9a-zA-Z])/g, id)
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)/g, '<TS>')
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? [+-]\d{4} \w+/g, '<TS>')
    .replace(new RegExp(`Up ${ago}`, 'g'), 'Up <DUR>')
    .replace(new RegExp(`${ago} ago`, 'g'), '<AGO>')
    .replace(/(?<![\d.])172\.(?:1[6-9]|2\d|3[01])\.\d+\.\d+/g, '<IP>')
    .replace(/ {2,}/g, '  ');
}

/** Run the same command through docker and tdocker and assert identical (normalised) output and status. */
export async function sameAsDocker(args: string[], opts?: RunOptions): Promise<RunResult> {
  const { ref, ours } = await both(args, opts);
  const n = (r: RunResult): { out: string; err: string; code: number | null } => ({ out: normalize(r.stdout), err: normalize(r.stderr), code: r.code });
  const a = n(ref);
  const b = n(ours);
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    throw new Error(`tdocker differs from docker for: ${args.join(' ')}\n--- docker\n${JSON.stringify(a, null, 1)}\n+++ tdocker\n${JSON.stringify(b, null, 1)}`);
  }
  return ours;
}

/** A tmux session running a command in a real pseudo-terminal of the given size. */
export class TmuxSession {
  private constructor(readonly name: string) {}

  static async start(command: string, width = 100, height = 30): Promise<TmuxSession> {
    const name = uniqueName('tdtmux');
    let r = await runProgram('tmux', ['new-session', '-d', '-s', name, '-x', String(width), '-y', String(height), command]);
    // a new session asked of a tmux server that is just exiting (the previous session killed a moment
    // ago was its last) fails with "server exited unexpectedly": asked again, a new server starts
    for (let i = 0; i < 3 && r.code !== 0 && /server exited unexpectedly/.test(r.stderr); i++) {
      await new Promise((res) => setTimeout(res, 200));
      r = await runProgram('tmux', ['new-session', '-d', '-s', name, '-x', String(width), '-y', String(height), command]);
    }
    if (r.code !== 0) throw new Error(`tmux: ${r.stderr}`);
    await runProgram('tmux', ['set-option', '-t', name, 'remain-on-exit', 'on']);
    return new TmuxSession(name);
  }

  async keys(...keys: string[]): Promise<void> {
    await runProgram('tmux', ['send-keys', '-t', this.name, ...keys]);
  }

  async screen(): Promise<string> {
    return (await runProgram('tmux', ['capture-pane', '-p', '-t', this.name])).stdout;
  }

  /** Wait until the screen matches, up to a deadline (a generous one: this waits for a process, it times nothing). */
  async waitFor(re: RegExp, ms = 20000): Promise<string> {
    const end = Date.now() + ms;
    let s = '';
    while (Date.now() < end) {
      s = await this.screen();
      if (re.test(s)) return s;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`screen never matched ${re}:\n${s}`);
  }

  async resize(width: number, height: number): Promise<void> {
    await runProgram('tmux', ['resize-window', '-t', this.name, '-x', String(width), '-y', String(height)]);
  }

  /** The exit status of the pane's command once it ended, or undefined while it runs. */
  async exitStatus(): Promise<number | undefined> {
    const r = await runProgram('tmux', ['display-message', '-p', '-t', this.name, '#{pane_dead}|#{pane_dead_status}|#{pane_dead_signal}']);
    const [dead, status, signal] = r.stdout.trim().split('|');
    if (dead !== '1') return undefined;
    // tmux can mark the pane dead a moment before it has the status: ask again then. A command killed
    // by a signal has a signal and no status: that is -signal, which no exit status equals.
    if (status !== '' && status !== undefined) return Number(status);
    return signal ? -Number(signal) : undefined;
  }

  async kill(): Promise<void> {
    await runProgram('tmux', ['kill-session', '-t', this.name]);
  }
}
