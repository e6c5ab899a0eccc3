#!/usr/bin/env node
// Build-context benchmark: a 1 GB context of which 90% is excluded by .dockerignore, built with a
// trivial Dockerfile so that the time is dominated by packing and sending the context.
// tdocker build vs DOCKER_BUILDKIT=0 docker build, alternating runs; medians and their ratio.
//
// Then the same builds through a pass-through socket in front of the engine (back-pressure kept), which
// splits each build into phases: start-up until the /build request's first byte, pack-and-send until
// its last byte (paced by the engine, which extracts the context as it reads it), and the rest.
//
//   node bench/build-context.mjs [runs=5] [sizeMB=1024]
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
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

/** One build through a pass-through socket: [start-up, pack-and-send, rest] in ms. */
function phases(program) {
  spawnSync('sync');
  const sock = join(dir, '..', `tdocker-bench-proxy-${process.pid}.sock`);
  rmSync(sock, { force: true });
  let post = 0;
  let lastUp = 0;
  const t0 = process.hrtime.bigint();
  const now = () => Number(process.hrtime.bigint() - t0) / 1e6;
  const server = createServer((client) => {
    const engine = connect('/var/run/docker.sock');
    let sending = false;
    client.on('data', (d) => {
      if (!post && d.includes('POST ') && d.includes('/build')) {
        post = now();
        sending = true;
      }
      if (sending) lastUp = now();
      if (!engine.write(d)) {
        client.pause();
        engine.once('drain', () => client.resume());
      }
    });
    engine.on('data', (d) => {
      sending = false;
      if (!client.write(d)) {
        engine.pause();
        client.once('drain', () => engine.resume());
      }
    });
    client.on('end', () => engine.end());
    engine.on('end', () => client.end());
    client.on('error', () => engine.destroy());
    engine.on('error', () => client.destroy());
  });
  return new Promise((resolve, reject) => {
    server.listen(sock, () => {
      const child = spawn(program, ['build', '-q', '-t', tag, dir], { env: { ...process.env, DOCKER_BUILDKIT: '0', DOCKER_HOST: `unix://${sock}` }, stdio: 'ignore' });
      child.on('exit', (code) => {
        const end = now();
        server.close();
        rmSync(sock, { force: true });
        if (code !== 0) reject(new Error(`${program} build failed (${code}) through the proxy`));
        else resolve([post, lastUp - post, end - lastUp]);
      });
    });
  });
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
  const split = { docker: [], tdocker: [] };
  for (let i = 0; i < runs; i++) {
    split.docker.push(await phases('docker'));
    split.tdocker.push(await phases(tdocker));
  }
  console.log('through a pass-through socket, medians in ms:  start-up   pack-and-send   rest');
  for (const [who, list] of Object.entries(split)) {
    const m = (k) => median(list.map((x) => x[k])).toFixed(0).padStart(8);
    console.log(`${who.padEnd(48)}${m(0)}        ${m(1)}   ${m(2)}`);
  }
  const ps = (who) => median(split[who].map((x) => x[1]));
  console.log(`pack-and-send ratio tdocker/docker: ${(ps('tdocker') / ps('docker')).toFixed(2)}`);
} finally {
  spawnSync('docker', ['rmi', tag], { stdio: 'ignore' });
  rmSync(dir, { recursive: true, force: true });
}
