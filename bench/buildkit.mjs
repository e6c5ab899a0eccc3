#!/usr/bin/env node
// BuildKit benchmark: a 1 GB context of which 90% is excluded by .dockerignore (a dependency tree,
// build outputs, logs), generated in a temporary directory and removed afterwards.
//
// Two Dockerfiles:
//   small  `COPY src/small /small`: the build reads 2,000 small files of the kept 100 MB
//   all    `COPY . /ctx`: the build reads every kept file (100 MB)
// Each is built with tdocker's classic builder (DOCKER_BUILDKIT=0: the kept 100 MB packed and sent)
// and with BuildKit (the session's file sync: only what the build reads), --no-cache, alternating;
// BuildKit cold (a new config directory each run: a new shared key, so the engine has nothing of the
// directory yet) and warm (the same key: the engine asks only for what changed). Wall time and the
// client's peak RSS (GNU time's %M) per run; medians and the ratio BuildKit / classic. RSS is also
// measured on a context ten times smaller: flat means the same peak whatever the context's size.
//
//   node bench/buildkit.mjs [runs=3] [sizeMB=1024]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tdocker = join(root, 'bin', 'tdocker');
const runs = Number(process.argv[2] ?? 3);
const sizeMB = Number(process.argv[3] ?? 1024);
const work = mkdtempSync(join(tmpdir(), 'tdocker-bench-bk-'));
const tag = `tdocker-bench-bk-${process.pid}`;

function generate(dir, mbTotal) {
  const mb = Buffer.alloc(1 << 20, 0x61);
  const kept = Math.round(mbTotal * 0.1);
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
  for (let i = 0; i < mbTotal - kept; i++) {
    const where = i % 3 === 0 ? join(dir, 'node_modules', `m${i % 50}`) : i % 3 === 1 ? join(dir, 'build', `out${i % 7}`) : join(dir, 'src', `pkg${i % 10}`);
    mkdirSync(where, { recursive: true });
    writeFileSync(join(where, i % 3 === 2 ? `trace${i}.log` : `blob${i}.bin`), mb);
  }
  writeFileSync(join(dir, '.dockerignore'), 'node_modules\nbuild\n**/*.log\n.git\nDockerfile.*\n');
  writeFileSync(join(dir, 'Dockerfile.small'), 'FROM busybox\nCOPY src/small /small\n');
  writeFileSync(join(dir, 'Dockerfile.all'), 'FROM busybox\nCOPY . /ctx\n');
}

/** one build: wall ms and the client's peak RSS in MB */
function build(dir, file, env) {
  spawnSync('sync');
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', 'RSS %M', tdocker, 'build', '-q', '--no-cache', '-f', join(dir, file), '-t', tag, dir], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`build failed (${r.status}): ${r.stderr}`);
  const rss = Number(/RSS (\d+)/.exec(r.stderr)?.[1]) / 1024;
  return { ms, rss };
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const fmt = (x) => x.toFixed(0).padStart(6);

try {
  const big = join(work, 'big');
  const small = join(work, 'small');
  process.stdout.write(`generating ${sizeMB} MB (90% ignored) and ${sizeMB / 10} MB contexts in ${work}\n`);
  generate(big, sizeMB);
  generate(small, Math.round(sizeMB / 10));
  const warmCfg = join(work, 'cfg-warm');
  mkdirSync(warmCfg);
  for (const file of ['Dockerfile.small', 'Dockerfile.all']) {
    const res = { classic: [], cold: [], warm: [] };
    // the warm key's first sync is not counted
    build(big, file, { DOCKER_CONFIG: warmCfg });
    for (let i = 0; i < runs; i++) {
      res.classic.push(build(big, file, { DOCKER_BUILDKIT: '0' }));
      const cfg = join(work, `cfg-${file}-${i}`);
      mkdirSync(cfg);
      res.cold.push(build(big, file, { DOCKER_CONFIG: cfg }));
      res.warm.push(build(big, file, { DOCKER_CONFIG: warmCfg }));
    }
    const c = median(res.classic.map((x) => x.ms));
    process.stdout.write(`\n${file} (${sizeMB} MB context, ${runs} runs each, medians)\n`);
    process.stdout.write(`  classic          wall ${fmt(c)} ms   peak RSS ${fmt(median(res.classic.map((x) => x.rss)))} MB\n`);
    for (const k of ['cold', 'warm']) {
      const m = median(res[k].map((x) => x.ms));
      process.stdout.write(`  buildkit ${k.padEnd(6)}  wall ${fmt(m)} ms   peak RSS ${fmt(median(res[k].map((x) => x.rss)))} MB   ratio ${(m / c).toFixed(2)}x classic\n`);
    }
    // RSS against the context's size: the same build on the context ten times smaller
    const cfg = join(work, `cfg-${file}-smallctx`);
    mkdirSync(cfg);
    const s = build(small, file, { DOCKER_CONFIG: cfg });
    process.stdout.write(`  buildkit cold on the ${sizeMB / 10} MB context: peak RSS ${fmt(s.rss)} MB (wall ${fmt(s.ms)} ms)\n`);
  }
} finally {
  spawnSync(tdocker, ['rmi', '-f', tag]);
  rmSync(work, { recursive: true, force: true });
}
