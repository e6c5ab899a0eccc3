#!/usr/bin/env node
// `run` streaming cost, tdocker against the reference docker on the same engine.
// Alternating runs; per run the client's wall time, CPU (user+sys) and peak RSS from GNU time; medians and ratios.
//   node bench/run.mjs [runs=5]
// Cases: dd 1000 MB in 1 MB frames (large frames), seq 1 3000000 (millions of small frames); output to /dev/null.
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const clients = [['docker', 'docker'], ['tdocker', join(root, 'bin', 'tdocker')]];
const runs = Number(process.argv[2] ?? 5);
const cases = [
  ['large frames: run --rm busybox dd if=/dev/zero bs=1M count=1000', ['run', '--rm', 'busybox', 'dd', 'if=/dev/zero', 'bs=1M', 'count=1000']],
  ['small frames: run --rm busybox seq 1 3000000', ['run', '--rm', 'busybox', 'seq', '1', '3000000']],
];

function once(bin, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', 'bash', '-c', '"$0" "$@" >/dev/null', bin, ...args], { encoding: 'utf8' });
  const fields = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { wall: fields[0], cpu: fields[1] + fields[2], rss: fields[3] / 1024 };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

if (spawnSync('docker', ['image', 'inspect', 'busybox'], { stdio: 'ignore' }).status !== 0) spawnSync('docker', ['pull', '-q', 'busybox'], { stdio: 'inherit' });
for (const [title, args] of cases) {
  const res = Object.fromEntries(clients.map(([who]) => [who, []]));
  once('docker', args); // warm-up: image layers in the page cache
  for (let i = 0; i < runs; i++) {
    const order = i % 2 ? [...clients].reverse() : clients;
    for (const [who, bin] of order) res[who].push(once(bin, args));
  }
  const med = (who, k) => median(res[who].map((r) => r[k]));
  console.log(`== ${title} (median of ${runs})`);
  for (const [who] of clients) {
    console.log(`${who.padEnd(8)} wall ${med(who, 'wall').toFixed(2)} s   cpu ${med(who, 'cpu').toFixed(2)} s   peak rss ${med(who, 'rss').toFixed(0)} MB`);
  }
  const ratio = (k) => (med('tdocker', k) / med('docker', k)).toFixed(2);
  console.log(`ratio tdocker/docker: wall ${ratio('wall')}   cpu ${ratio('cpu')}   rss ${ratio('rss')}`);
}
