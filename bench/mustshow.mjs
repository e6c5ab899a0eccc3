#!/usr/bin/env node
// Issue 21's "Must show" figures in one run, each paired by bench/paired.mjs (A = tdocker, B = the
// reference, started in turn A B A B ..., ratios taken pair by pair; medians quoted; public tools only):
//   startup   tdocker ps (idle engine) and tdocker --help against `node -e 0`
//   ps        ps -a with 1,000 containers, against docker
//   images    images -a with 500 images, against docker
//   inspect   inspect of 200 containers, against docker
//   seq       run --rm busybox seq 1 3000000, against docker
//   logs      logs of a container with 200 MB of output, against docker (peak RSS and CPU)
//   build     a 1 GB context with the classic builder (DOCKER_BUILDKIT=0), against docker
// NODE_EXTRA_CA_CERTS is left out of every command (node parses the file before any script when it
// is set; the floor quoted is a bare `node -e 0`); with BENCH_CA=1 the startup case is also run with it.
// Usage: node bench/mustshow.mjs [case...]   (RUNS=n, default 7; BENCH_PREFIX=name reuses containers
// NAME-1..NAME-1000 that exist; what this run made is removed at the end)
import { execFileSync } from 'node:child_process';
import { paired } from './paired.mjs';
import { mkdtempSync, rmSync, writeFileSync, openSync, closeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TD = join(root, 'bin', 'tdocker');
const RUNS = Number(process.env.RUNS ?? 7);
const all = ['startup', 'ps', 'images', 'inspect', 'seq', 'logs', 'build'];
const cases = process.argv.slice(2).length ? process.argv.slice(2) : all;
const id = Math.random().toString(16).slice(2, 8);
const prefix = process.env.BENCH_PREFIX ?? `bench-ms-${id}`;
const label = `tdocker.bench.mustshow=${id}`;
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
const sh = (cmd) => execFileSync('bash', ['-c', cmd], { stdio: ['ignore', 'pipe', 'inherit'], env, maxBuffer: 1 << 26 }).toString();

/** paired medians (bench/paired.mjs): { a: {cpu, wall, peak}, b: {...}, ratio: {cpu, wall} } */
function bench(name, a, b, { runs = RUNS, extraEnv = {} } = {}) {
  const res = paired(a, typeof b === 'string' ? splitWords(b) : b, { runs, env: { ...env, ...extraEnv } });
  if (res.statuses.some((s) => s !== 0)) console.log(`${name}: exit statuses ${res.statuses.join(', ')}`);
  const shown = (w) => (w.length > 8 ? [...w.slice(0, 8), `... (${w.length} words)`] : w).join(' ');
  console.log(`== ${name}\n  A ${shown(a)}\n  B ${shown(typeof b === 'string' ? splitWords(b) : b)}\n` +
    `  A: cpu ${res.a.cpu.toFixed(3)} s  wall ${res.a.wall.toFixed(3)} s  peak ${res.a.peak.toFixed(1)} MiB\n` +
    `  B: cpu ${res.b.cpu.toFixed(3)} s  wall ${res.b.wall.toFixed(3)} s  peak ${res.b.peak.toFixed(1)} MiB\n` +
    `  A/B (median of pair ratios): cpu ${res.ratio.cpu.toFixed(2)}  wall ${res.ratio.wall.toFixed(2)}`);
  return res;
}

/** a command line split as a shell splits words (single quotes only, as the B strings here use) */
function splitWords(line) {
  const words = [];
  for (const m of line.matchAll(/'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2]);
  return words;
}

const quiet = (cmd) => `sh -c 'exec ${cmd} >/dev/null 2>&1'`;
let floor;
const tmp = mkdtempSync(join(tmpdir(), 'tdocker-bench-'));
try {
  if (cases.includes('startup')) {
    floor = bench('startup: tdocker ps (idle engine) vs node -e 0', [TD, 'ps'], `${process.execPath} -e 0`, { runs: 21 });
    bench('startup: tdocker --help vs node -e 0', [TD, '--help'], `${process.execPath} -e 0`, { runs: 21 });
    // the change they came from: the same lines on the startup snapshot (the fast path off)
    const off = { extraEnv: { TDOCKER_FAST: 'off' }, runs: 21 };
    bench('startup, snapshot path (TDOCKER_FAST=off): tdocker ps vs node -e 0', [TD, 'ps'], `${process.execPath} -e 0`, off);
    bench('startup, snapshot path (TDOCKER_FAST=off): tdocker --help vs node -e 0', [TD, '--help'], `${process.execPath} -e 0`, off);
    if (process.env.BENCH_CA && process.env.NODE_EXTRA_CA_CERTS) {
      const ca = { NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS };
      bench('startup, NODE_EXTRA_CA_CERTS set: tdocker ps vs node -e 0', [TD, 'ps'], `${process.execPath} -e 0`, { runs: 21, extraEnv: ca });
      bench('startup, NODE_EXTRA_CA_CERTS set: tdocker --help vs node -e 0', [TD, '--help'], `${process.execPath} -e 0`, { runs: 21, extraEnv: ca });
    }
  }
  const floorWall = () => (floor ??= (({ a, b, ratio }) => ({ a: b, b: a, ratio }))(bench('node -e 0', [process.execPath, '-e', '0'], 'true', { runs: 11 }))).b.wall;
  const within = (name, r) =>
    console.log(`  ${name}: cpu ratio ${r.ratio.cpu.toFixed(2)} (target <= 1.0); wall ${r.a.wall.toFixed(3)} s vs docker + node -e 0 = ${(r.b.wall + floorWall()).toFixed(3)} s`);
  if (cases.includes('ps') || cases.includes('inspect')) {
    const have = new Set(sh(`docker ps -a --format '{{.Names}}'`).split('\n'));
    const missing = Array.from({ length: 1000 }, (_, i) => `${prefix}-${i + 1}`).filter((n) => !have.has(n));
    if (missing.length) sh(`printf '%s\\n' ${missing.join(' ')} | xargs -P 4 -I{} docker create -q --label ${label} --name {} busybox true >/dev/null`);
    if (cases.includes('ps')) {
      within('ps -a', bench('ps -a with 1,000 containers', [TD, 'ps', '-a'], 'docker ps -a'));
      within('ps -a (snapshot path)', bench('ps -a with 1,000 containers, TDOCKER_FAST=off', [TD, 'ps', '-a'], 'docker ps -a', { extraEnv: { TDOCKER_FAST: 'off' } }));
    }
    if (cases.includes('inspect')) {
      const names = Array.from({ length: 200 }, (_, i) => `${prefix}-${i + 1}`);
      within('inspect', bench('inspect of 200 containers', [TD, 'inspect', ...names], `docker inspect ${names.join(' ')}`));
    }
  }
  if (cases.includes('images')) {
    sh(`seq 1 500 | xargs -P 4 -I{} docker tag busybox ${prefix}-img:{}`);
    within('images -a', bench('images -a with 500 images', [TD, 'images', '-a'], 'docker images -a'));
    within('images -a (snapshot path)', bench('images -a with 500 images, TDOCKER_FAST=off', [TD, 'images', '-a'], 'docker images -a', { extraEnv: { TDOCKER_FAST: 'off' } }));
  }
  if (cases.includes('seq')) {
    const r = bench('run --rm busybox seq 1 3000000', [TD, 'run', '--rm', 'busybox', 'seq', '1', '3000000'], 'docker run --rm busybox seq 1 3000000', { runs: 5 });
    console.log(`  seq: cpu ratio ${r.ratio.cpu.toFixed(2)} (target <= 1.1)`);
  }
  if (cases.includes('logs')) {
    const name = `${prefix}-logs`;
    sh(`docker rm -f ${name} >/dev/null 2>&1 || true; docker run --name ${name} --label ${label} busybox sh -c 'yes 0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01234567 | head -c 200000000' >/dev/null`);
    const r = bench('logs of 200 MB', ['sh', '-c', `exec ${TD} logs ${name} >/dev/null`], quiet(`docker logs ${name}`), { runs: 5 });
    console.log(`  logs: tdocker peak ${r.a.peak} MiB (target <= 80), docker ${r.b.peak} MiB; cpu ratio ${r.ratio.cpu.toFixed(2)} (target <= 1.0)`);
    sh(`docker rm -f ${name} >/dev/null`);
  }
  if (cases.includes('build')) {
    const ctx = join(tmp, 'ctx');
    sh(`mkdir -p ${ctx}`);
    // 1 GB: one 512 MB file and 4,096 files of 128 KB (a tree of many entries and one big one)
    const fd = openSync(join(ctx, 'big.bin'), 'w');
    ftruncateSync(fd, 512 << 20);
    closeSync(fd);
    sh(`cd ${ctx} && mkdir -p many && head -c 131072 /dev/urandom > /tmp/tdocker-bench-chunk-${id} && for d in $(seq 1 64); do mkdir many/$d; for f in $(seq 1 64); do cp /tmp/tdocker-bench-chunk-${id} many/$d/$f; done; done; rm /tmp/tdocker-bench-chunk-${id}`);
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM busybox\nCOPY Dockerfile /\n');
    const tag = `${prefix}-build:1`;
    const r = bench('build, 1 GB context, classic builder', ['sh', '-c', `DOCKER_BUILDKIT=0 exec ${TD} build -q -t ${tag} ${ctx} >/dev/null 2>&1`],
      `sh -c 'DOCKER_BUILDKIT=0 exec docker build -q -t ${tag} ${ctx} >/dev/null 2>&1'`, { runs: 3, timeout: 1200 });
    console.log(`  build: wall ratio ${r.ratio.wall.toFixed(2)} (target <= 1.0)`);
    sh(`docker rmi ${tag} >/dev/null 2>&1 || true`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
  sh(`docker ps -aq --filter label=${label} | xargs -r docker rm -f >/dev/null`);
  sh(`docker images --format '{{.Repository}}:{{.Tag}}' ${prefix}-img | xargs -r docker rmi >/dev/null`);
}
