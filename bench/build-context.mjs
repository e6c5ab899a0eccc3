#!/usr/bin/env node
// Build-context benchmark: a 1 GB context of which 90% is excluded by .dockerignore, built with a
// trivial Dockerfile so that the time is dominated by packing and sending the context.
// tdocker build vs DOCKER_BUILDKIT=0 docker build, alternating runs; medians and their ratio.
//
//   node bench/build-context.mjs [runs=5] [sizeMB=1024]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 5);
const sizeMB = Number(process.argv[3] ?? 1024);
const dir = mkdtempSync(join(tmpdir(), 'tdocker-bench-ctx-'));
const tag = `tdocker-bench-ctx-${process.pid}`;

function generate() {
  const mb = Buffer.alloc(1 << 20, 0x61);
  const kept = Math.round(sizeMB * 0.1);
  // the kept 10%: 1 MB files in a few directories, plus many small files
  for (let i = 0; i < kept; i++) {
    const d = join(dir, 'src', `pkg${i % 10}`);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, `file${i}.dat`), mb);
  }
  for (let i = 0; i < 2000; i++) {
    const d = join(dir, 'src', 'small', `d${i % 20}`);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, `s${i}.txt`), `small file ${i}\n`);
  }
  // the excluded 90%: a dependency tree, build outputs and logs
  for (let i = 0; i < sizeMB - kept; i++) {
    const where = i % 3 === 0 ? join(dir, 'node_modules', `m${i % 50}`) : i % 3 === 1 ? join(dir, 'build', `out${i % 7}`) : join(dir, 'src', `pkg${i % 10}`);
    mkdirSync(where, { recursive: true });
    writeFileSync(join(where, i % 3 === 2 ? `trace${i}.log` : `blob${i}.bin`), mb);
  }
  writeFileSync(join(dir, '.dockerignore'), 'node_modules\nbuild\n**/*.log\n.git\n');
  writeFileSync(join(dir, 'Dockerfile'), 'FROM busybox\nLABEL bench=context\n');
}

function timeBuild(program) {
  // the previous build's extracted context is written back first, so that no run pays for another's
  spawnSync('sync');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(program, ['build', '-q', '-t', tag, dir], { env: { ...process.env, DOCKER_BUILDKIT: '0' }, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${program} build failed (${r.status}): ${r.stderr}`);
  return ms;
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

try {
  const g0 = Date.now();
  generate();
  console.log(`context: ${sizeMB} MB in ${dir} (90% excluded), generated in ${((Date.now() - g0) / 1000).toFixed(1)} s`);
  const tdocker = join(root, 'bin', 'tdocker');
  // one warm-up each (page cache, base image)
  timeBuild('docker');
  timeBuild(tdocker);
  const ours = [];
  const ref = [];
  for (let i = 0; i < runs; i++) {
    ref.push(timeBuild('docker'));
    ours.push(timeBuild(tdocker));
  }
  const mo = median(ours);
  const mr = median(ref);
  console.log(`docker (DOCKER_BUILDKIT=0): ${ref.map((x) => x.toFixed(0)).join(' ')} ms, median ${mr.toFixed(0)} ms`);
  console.log(`tdocker:                    ${ours.map((x) => x.toFixed(0)).join(' ')} ms, median ${mo.toFixed(0)} ms`);
  console.log(`ratio tdocker/docker: ${(mo / mr).toFixed(2)}`);
} finally {
  spawnSync('docker', ['rmi', tag], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}
