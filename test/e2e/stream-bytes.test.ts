/**
 * The stream paths made fast for issue 21, checked byte for byte against docker 28 on the same engine:
 * `run` of millions of small frames (seq) with stdout to a file and to a pipe, stdout and stderr
 * apart; `logs` of millions of short log frames (each its own HTTP chunk from the engine) with
 * --timestamps and --tail; and a classic-builder context (many small files, sizes on and off the
 * 512-byte blocks and the writer's piece sizes, a file larger than a read, hard links, empty files)
 * whose content is checked inside the image built. SHA-256 of each stream compared: no timing.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, DOCKER, TDOCKER, tdocker, uniqueName } from '../helpers/run.js';

const label = uniqueName('tdstreambytes');
const tmp = mkdtempSync(join(tmpdir(), 'tdstreambytes-'));
const images: string[] = [];

after(async () => {
  const ids = (await docker(['ps', '-aq', '--filter', `label=${label}`])).stdout.split('\n').filter(Boolean);
  if (ids.length) await docker(['rm', '-f', ...ids]);
  if (images.length) await docker(['rmi', '-f', ...images]);
  rmSync(tmp, { recursive: true, force: true });
});

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

interface Streams {
  out: string;
  err: string;
  outLen: number;
  code: number | null;
}

/** Run a client with stdout and stderr to files (toFile) or pipes; the SHA-256 of each. */
function capture(program: string, args: string[], toFile: boolean): Promise<Streams> {
  return new Promise((resolve, reject) => {
    const base = join(tmp, uniqueName('out'));
    const fds = toFile ? [openSync(`${base}.1`, 'w'), openSync(`${base}.2`, 'w')] : [];
    const child = spawn(program, args, { stdio: ['ignore', toFile ? fds[0] : 'pipe', toFile ? fds[1] : 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      for (const fd of fds) closeSync(fd);
      const o = toFile ? readFileSync(`${base}.1`) : Buffer.concat(out);
      const e = toFile ? readFileSync(`${base}.2`) : Buffer.concat(err);
      if (toFile) for (const n of [1, 2]) rmSync(`${base}.${n}`, { force: true });
      resolve({ out: sha(o), err: sha(e), outLen: o.length, code });
    });
  });
}

async function sameBytes(args: string[], minOut: number): Promise<void> {
  for (const toFile of [true, false]) {
    const ref = await capture(DOCKER, args, toFile);
    const ours = await capture(TDOCKER, args, toFile);
    const where = `${args.join(' ')} (${toFile ? 'to files' : 'to pipes'})`;
    assert.equal(ref.code, 0, where);
    assert.ok(ref.outLen >= minOut, `${where}: docker wrote ${ref.outLen} bytes`);
    assert.equal(ours.code, ref.code, where);
    assert.equal(ours.outLen, ref.outLen, `${where}: stdout length`);
    assert.equal(ours.out, ref.out, `${where}: stdout bytes`);
    assert.equal(ours.err, ref.err, `${where}: stderr bytes`);
  }
}

test('run: seq 1 1000000 (small frames) and seq on both streams, byte for byte as docker, to files and to pipes', async () => {
  await sameBytes(['run', '--rm', '--label', label, 'busybox', 'seq', '1', '1000000'], 6_888_896);
  // stdout and stderr at once: each stream's bytes (never their relative order) compared
  await sameBytes(['run', '--rm', '--label', label, 'busybox', 'sh', '-c', 'seq 1 200000 & seq 200001 400000 >&2; wait'], 1_000_000);
});

test('logs: a million short frames on stdout and stderr, plain, --timestamps, --tail, byte for byte as docker', async () => {
  const name = uniqueName('streambytes-logs');
  // short lines on both streams, and some long ones (frames that span many socket reads)
  const script = "yes 'a short line of the log' | head -n 600000; yes 'and one on stderr' | head -n 300000 >&2; head -c 300000 /dev/zero | tr '\\0' z; echo; seq 1 50000";
  const r = await docker(['run', '--name', name, '--label', label, 'busybox', 'sh', '-c', script]);
  assert.equal(r.code, 0, r.stderr);
  await sameBytes(['logs', name], 14_900_000);
  await sameBytes(['logs', '-t', name], 14_900_000);
  // how many of the last lines are stdout's depends on how the engine's copiers read the two pipes
  await sameBytes(['logs', '--tail', '70000', name], 10_000);
});

test('build (classic builder): a context of many small files, odd sizes, a large file and hard links reaches the image unchanged', async () => {
  const ctx = join(tmp, 'ctx');
  mkdirSync(join(ctx, 'many'), { recursive: true });
  let seed = 7;
  const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  for (let d = 0; d < 20; d++) {
    mkdirSync(join(ctx, 'many', `d${d}`));
    for (let f = 0; f < 100; f++) {
      const size = [0, 1, 511, 512, 513, 65535, 65536, 65537][f % 8] + (f % 16 >= 8 ? rand(3000) : 0);
      const b = Buffer.alloc(size);
      for (let i = 0; i < size; i += 97) b[i] = (d * 131 + f * 7 + i) & 0xff;
      writeFileSync(join(ctx, 'many', `d${d}`, `f${f}`), b);
    }
  }
  // larger than a read (1 MB) and than the writer's pieces, not on a block boundary
  const big = Buffer.alloc(5 * 1024 * 1024 + 123);
  for (let i = 0; i < big.length; i += 4093) big[i] = i & 0xff;
  writeFileSync(join(ctx, 'big.bin'), big);
  linkSync(join(ctx, 'big.bin'), join(ctx, 'big-link.bin'));
  linkSync(join(ctx, 'many', 'd3', 'f5'), join(ctx, 'many', 'd4', 'hard'));
  writeFileSync(join(ctx, '.dockerignore'), 'many/d19\n');
  writeFileSync(join(ctx, 'Dockerfile'), 'FROM busybox\nCOPY . /ctx/\n');
  const list = "cd /ctx && find . -type f | LC_ALL=C sort | xargs sha256sum; find . -type f | wc -l";
  const sums: Record<string, string> = {};
  for (const [who, run] of [['docker', docker], ['tdocker', tdocker]] as const) {
    const tag = `${uniqueName('streambytes-build')}:${who}`;
    images.push(tag);
    const b = await run(['build', '-q', '--label', label, '-t', tag, ctx], { env: { DOCKER_BUILDKIT: '0' }, timeout: 300_000 });
    assert.equal(b.code, 0, b.stderr);
    const c = await docker(['run', '--rm', '--label', label, tag, 'sh', '-c', list]);
    assert.equal(c.code, 0, c.stderr);
    sums[who] = c.stdout;
  }
  // what is on disk, less what .dockerignore leaves out
  const local = await new Promise<string>((resolve) => {
    const p = spawn('sh', ['-c', `cd ${ctx} && find . -type f ! -path './many/d19/*' | LC_ALL=C sort | xargs sha256sum; find . -type f ! -path './many/d19/*' | wc -l`]);
    const out: Buffer[] = [];
    p.stdout.on('data', (d: Buffer) => out.push(d));
    p.on('close', () => resolve(Buffer.concat(out).toString()));
  });
  assert.ok(local.split('\n').length > 1900, local.slice(-200));
  assert.equal(sums.tdocker, local);
  assert.equal(sums.docker, local);
});
