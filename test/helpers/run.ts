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
