#!/usr/bin/env node
// Client cost of streaming, tdocker against the reference docker, same engine, alternating runs:
// wall time, client CPU (user+sys) and peak RSS of the client process (GNU time), medians.
//   node bench/streams.mjs [runs] [case...]    cases: logs cp-out cp-in run-dd run-seq
// logs: a container that wrote 200 MB in short lines; cp: a 500 MB tree out of and into a container;
// run-dd: 1000 MB in 1 MB frames; run-seq: seq 1 3000000 (millions of small frames).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TD = join(root, 'bin', 'tdocker');
const runs = Number(process.argv[2] ?? 3);
const cases = process.argv.slice(3).length ? process.argv.slice(3) : ['logs', 'cp-out', 'cp-in', 'run-dd', 'run-seq'];
const id = Math.random().toString(16).slice(2, 8);
const sh = (cmd) => execFileSync('bash', ['-c', cmd], { stdio: ['ignore', 'pipe', 'inherit'] }).toString();

function measure(client, args, sink = '/dev/null') {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', 'bash', '-c', `"$0" "$@" > ${sink}`, client, ...args], { encoding: 'utf8' });
  const last = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  if (r.status !== 0) throw new Error(`${client} ${args.join(' ')} failed: ${r.stderr}`);
  return { wall: last[0], cpu: last[1] + last[2], rss: last[3] };
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

function compare(name, setup, argsFor, teardown = () => {}) {
  const ctx = setup();
  const res = { docker: [], tdocker: [] };
  try {
    for (let i = 0; i < runs; i++) {
      for (const [who, bin] of [['docker', 'docker'], ['tdocker', TD]]) {
        const { args, sink, before } = argsFor(ctx, who, i);
        before?.();
        // the previous run's dirty pages written out first: otherwise whichever client runs second
        // pays for the first one's writeback (throttled writes count as its own system time)
        execFileSync('sync');
        res[who].push(measure(bin, args, sink));
      }
    }
  } finally {
    teardown(ctx);
  }
  const m = (who, k) => median(res[who].map((r) => r[k]));
  const line = (who) => `${who.padEnd(8)} wall ${m(who, 'wall').toFixed(2)} s  cpu ${m(who, 'cpu').toFixed(2)} s  peak rss ${(m(who, 'rss') / 1024).toFixed(0)} MB`;
  console.log(`== ${name} (median of ${runs})\n${line('docker')}\n${line('tdocker')}`);
  if (process.env.BENCH_VERBOSE) for (const who of ['docker', 'tdocker']) console.log(`  ${who}: ${res[who].map((r) => `${r.wall}/${r.cpu.toFixed(2)}`).join(' ')}`);
  console.log(`ratio tdocker/docker: wall ${(m('tdocker', 'wall') / m('docker', 'wall')).toFixed(2)}  cpu ${(m('tdocker', 'cpu') / m('docker', 'cpu')).toFixed(2)}  rss ${(m('tdocker', 'rss') / m('docker', 'rss')).toFixed(2)}`);
}

if (cases.includes('logs')) {
  compare('logs of 200 MB in short lines', () => {
    const c = `bench-logs-${id}`;
    sh(`docker run --name ${c} busybox sh -c 'yes "some short line of text for the log" | head -c 200000000' >/dev/null`);
    return c;
  }, (c) => ({ args: ['logs', c] }), (c) => sh(`docker rm -f ${c} >/dev/null`));
}

if (cases.includes('cp-out') || cases.includes('cp-in')) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-cp-'));
  const tree = join(dir, 'tree');
  for (let d = 0; d < 50; d++) {
    mkdirSync(join(tree, `d${d}`), { recursive: true });
    for (let f = 0; f < 10; f++) writeFileSync(join(tree, `d${d}`, `f${f}`), Buffer.alloc(1 << 20, d + f));
  }
  const c = `bench-cp-${id}`;
  sh(`docker run -d --name ${c} busybox sleep 3600 >/dev/null && docker cp ${tree} ${c}:/tree`);
  if (cases.includes('cp-out')) {
    compare('cp of a 500 MB tree out of a container', () => c, (ctr, who, i) => {
      const out = join(dir, `out-${who}-${i}`);
      // the previous copies removed: every run writes into a file system in the same state
      const before = () => {
        for (const n of readdirSync(dir)) if (n.startsWith('out-')) rmSync(join(dir, n), { recursive: true, force: true });
      };
      return { args: ['cp', `${ctr}:/tree`, out], before };
    });
  }
  if (cases.includes('cp-in')) {
    compare('cp of a 500 MB tree into a container', () => c, (ctr, who, i) => ({ args: ['cp', tree, `${ctr}:/in-${who}-${i}`] }));
  }
  sh(`docker rm -f ${c} >/dev/null`);
  rmSync(dir, { recursive: true, force: true });
}

if (cases.includes('run-dd')) {
  compare('run dd 1000 MB (large frames)', () => null, () => ({ args: ['run', '--rm', 'busybox', 'dd', 'if=/dev/zero', 'bs=1M', 'count=1000'] }));
}
if (cases.includes('run-seq')) {
  compare('run seq 1 3000000 (small frames)', () => null, () => ({ args: ['run', '--rm', 'busybox', 'seq', '1', '3000000'] }));
}
