#!/usr/bin/env node
// Issue 21's stream figures, tdocker against the reference docker on the same engine, with public
// tools only (GNU time for each run's wall, user+sys CPU and peak RSS of the client process):
//   seq    run --rm busybox seq 1 3000000, attached, not a terminal, stdout to a file (SINK=null: /dev/null)
//   logs   logs of a container that wrote 200 MB of short lines, stdout to /dev/null (SINK=file: a file)
//   build  DOCKER_BUILDKIT=0 build -q of a 1 GB context (a 512 MB file and 4,096 files of 128 KB)
// Runs are paired and alternate (A B, B A, A B ...) after one warm-up of each; the figures are the
// medians of the pair ratios tdocker/docker, with each client's own medians beside them, and the load
// average before and after. The warm-up's output of both clients is compared by SHA-256 (the bytes
// must be the same), and for build the context's content is checked inside the image tdocker built.
//   node bench/stream-targets.mjs [case...]      RUNS=n (default 7; build 5), TDOCKER_BIN=another bin/tdocker
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// TDOCKER_BIN: another tdocker to measure (a build of an earlier commit, for before/after figures)
const TD = process.env.TDOCKER_BIN ?? join(root, 'bin', 'tdocker');
const cases = process.argv.slice(2).length ? process.argv.slice(2) : ['seq', 'logs', 'build'];
const id = Math.random().toString(16).slice(2, 8);
const label = `tdocker.bench.streams=${id}`;
const tmp = mkdtempSync(join(tmpdir(), `tdocker-bench-streams-${id}-`));
const env = { ...process.env };
// node parses this file before any script when it is set; docker has no such cost
delete env.NODE_EXTRA_CA_CERTS;
const sh = (cmd) => execFileSync('bash', ['-c', cmd], { stdio: ['ignore', 'pipe', 'inherit'], env, maxBuffer: 1 << 26 }).toString();
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** one run under GNU time: { wall, cpu, rss (MB) } */
function once(bin, args, sink, extraEnv = {}) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', 'bash', '-c', `"$0" "$@" >${sink}`, bin, ...args], {
    encoding: 'utf8',
    env: { ...env, ...extraEnv },
    maxBuffer: 1 << 26,
  });
  const f = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { wall: f[0], cpu: f[1] + f[2], rss: f[3] / 1024 };
}

const sha = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * Paired alternating runs. `run(who, bin, i)` makes one run and returns its figures. Returns and
 * prints the medians.
 */
function paired(title, runs, run, { before = () => {} } = {}) {
  const clients = [['tdocker', TD], ['docker', 'docker']];
  const res = { tdocker: [], docker: [] };
  const load0 = load();
  for (let i = 0; i < runs; i++) {
    const order = i % 2 ? [...clients].reverse() : clients;
    for (const [who, bin] of order) {
      before();
      res[who].push(run(who, bin, i));
    }
  }
  const ratios = (k) => res.tdocker.map((a, i) => a[k] / res.docker[i][k]);
  const med = (who, k) => median(res[who].map((r) => r[k]));
  const out = {
    ratio: { cpu: median(ratios('cpu')), wall: median(ratios('wall')), rss: median(ratios('rss')) },
    tdocker: { cpu: med('tdocker', 'cpu'), wall: med('tdocker', 'wall'), rss: med('tdocker', 'rss'), rssMax: Math.max(...res.tdocker.map((r) => r.rss)) },
    docker: { cpu: med('docker', 'cpu'), wall: med('docker', 'wall'), rss: med('docker', 'rss') },
  };
  const line = (who) => `  ${who.padEnd(8)} cpu ${out[who].cpu.toFixed(3)} s  wall ${out[who].wall.toFixed(3)} s  peak rss ${out[who].rss.toFixed(1)} MB`;
  console.log(`== ${title} (${runs} pairs; load average ${load0} -> ${load()})`);
  console.log(line('tdocker'));
  console.log(line('docker'));
  console.log(`  tdocker/docker, median of pair ratios: cpu ${out.ratio.cpu.toFixed(3)}  wall ${out.ratio.wall.toFixed(3)}  rss ${out.ratio.rss.toFixed(2)}  (tdocker's largest peak rss ${out.tdocker.rssMax.toFixed(1)} MB)`);
  if (process.env.BENCH_VERBOSE) {
    for (const who of ['tdocker', 'docker']) console.log(`    ${who}: ${res[who].map((r) => `${r.cpu.toFixed(2)}/${r.wall.toFixed(2)}/${r.rss.toFixed(0)}`).join(' ')}`);
  }
  return out;
}

/** the warm-up of both clients, output kept: the two outputs must be the same bytes */
function sameOutput(title, args) {
  const files = {};
  for (const [who, bin] of [['docker', 'docker'], ['tdocker', TD]]) {
    files[who] = join(tmp, `warm-${who}`);
    once(bin, args, files[who]);
  }
  const [d, t] = [sha(files.docker), sha(files.tdocker)];
  for (const f of Object.values(files)) rmSync(f, { force: true });
  if (d !== t) throw new Error(`${title}: tdocker's output (sha256 ${t}) is not docker's (${d})`);
  console.log(`  ${title}: the same bytes from both clients (sha256 ${d.slice(0, 16)}...)`);
}

const results = {};
try {
  if (cases.includes('seq')) {
    const args = ['run', '--rm', '--label', label, 'busybox', 'seq', '1', '3000000'];
    sameOutput('seq', args);
    const sink = (who) => (process.env.SINK === 'null' ? '/dev/null' : join(tmp, `seq-${who}`));
    results.seq = paired(`run --rm busybox seq 1 3000000 > ${process.env.SINK === 'null' ? '/dev/null' : 'a file'}`, Number(process.env.RUNS ?? 7), (who, bin) => once(bin, args, sink(who)));
    console.log(`  seq: client cpu ratio ${results.seq.ratio.cpu.toFixed(3)} (target <= 1.1)`);
  }
  if (cases.includes('logs')) {
    const name = `bench-streams-logs-${id}`;
    sh(`docker run --name ${name} --label ${label} busybox sh -c 'yes "some short line of text for the log" | head -c 200000000' >/dev/null`);
    try {
      sameOutput('logs', ['logs', name]);
      const sink = (who) => (process.env.SINK === 'file' ? join(tmp, `logs-${who}`) : '/dev/null');
      results.logs = paired('logs of a container that wrote 200 MB', Number(process.env.RUNS ?? 7), (who, bin) => once(bin, ['logs', name], sink(who)));
      console.log(`  logs: tdocker peak rss ${results.logs.tdocker.rss.toFixed(1)} MB (target <= 80; largest ${results.logs.tdocker.rssMax.toFixed(1)}), cpu ratio ${results.logs.ratio.cpu.toFixed(3)} (target <= 1.0)`);
    } finally {
      sh(`docker rm -f ${name} >/dev/null`);
    }
  }
  if (cases.includes('build')) {
    const ctx = join(tmp, 'ctx');
    mkdirSync(join(ctx, 'many'), { recursive: true });
    const fd = openSync(join(ctx, 'big.bin'), 'w');
    ftruncateSync(fd, 512 << 20);
    closeSync(fd);
    for (let d = 1; d <= 64; d++) {
      mkdirSync(join(ctx, 'many', String(d)));
      for (let f = 1; f <= 64; f++) writeFileSync(join(ctx, 'many', String(d), String(f)), Buffer.alloc(128 << 10, (d * 64 + f) & 0xff));
    }
    // the timed builds copy one small file; check.Dockerfile (in the same context) copies it all, once,
    // to check the content that reached the engine
    writeFileSync(join(ctx, 'Dockerfile'), 'FROM busybox\nCOPY Dockerfile /\n');
    writeFileSync(join(ctx, 'check.Dockerfile'), 'FROM busybox\nCOPY . /ctx/\n');
    const tags = { tdocker: `bench-streams-build-${id}:td`, docker: `bench-streams-build-${id}:docker`, check: `bench-streams-build-${id}:check` };
    const args = (who) => ['build', '-q', '--label', label, '-t', tags[who], ctx];
    const bk = { DOCKER_BUILDKIT: '0' };
    try {
      once(TD, ['build', '-q', '--label', label, '-f', join(ctx, 'check.Dockerfile'), '-t', tags.check, ctx], '/dev/null', bk);
      const local = sh(`cd ${ctx} && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum`);
      const inImage = sh(`docker run --rm --label ${label} ${tags.check} sh -c 'cd /ctx && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum'`);
      if (local !== inImage) throw new Error(`build: the context in tdocker's image is not the files sent (${inImage.trim()} vs ${local.trim()})`);
      console.log(`  build: the context's ${64 * 64 + 3} files are in tdocker's image with the same content`);
      sh(`docker rmi -f ${tags.check} >/dev/null`);
      once('docker', args('docker'), '/dev/null', bk);
      once(TD, args('tdocker'), '/dev/null', bk);
      // the previous build's extracted context is written back first, so that no run pays for another's
      results.build = paired('DOCKER_BUILDKIT=0 build of a 1 GB context', Number(process.env.RUNS ?? 5), (who, bin) => once(bin, args(who), '/dev/null', bk), {
        before: () => execFileSync('sync'),
      });
      console.log(`  build: wall ratio ${results.build.ratio.wall.toFixed(3)} (target <= 1.0)`);
    } finally {
      sh(`docker rmi -f ${tags.tdocker} ${tags.docker} ${tags.check} >/dev/null 2>&1 || true`);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
  sh(`docker ps -aq --filter label=${label} | xargs -r docker rm -f >/dev/null`);
  sh(`docker images -q --filter label=${label} | xargs -r docker rmi -f >/dev/null 2>&1 || true`);
}
if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(results, null, 2));
