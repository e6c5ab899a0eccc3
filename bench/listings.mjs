#!/usr/bin/env node
// Listings at scale, tdocker against the reference docker, same engine, alternating runs: wall time,
// client CPU (user+sys) and peak RSS of the client process (GNU time), medians, and node -e 0 beside
// them (the issue's wall bound is docker's wall plus that floor).
//   node bench/listings.mjs [runs] [case...]    cases: ps inspect images
// ps: `ps -a` with 1,000 containers; inspect: `inspect` of 200 of them; images: `images -a` with 500
// tags. Everything made carries this run's label (containers) or repository name (tags) and is removed
// at the end, also when a run fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TD = join(root, 'bin', 'tdocker');
const runs = Number(process.argv[2] ?? 5);
const cases = process.argv.slice(3).length ? process.argv.slice(3) : ['ps', 'inspect', 'images'];
const id = Math.random().toString(16).slice(2, 8);
const label = `tdocker.bench.listings=${id}`;
const sh = (cmd) => execFileSync('bash', ['-c', cmd], { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 }).toString();

function measure(client, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', 'bash', '-c', '"$0" "$@" > /dev/null', client, ...args], { encoding: 'utf8' });
  const last = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  if (r.status !== 0) throw new Error(`${client} ${args.join(' ')} failed: ${r.stderr}`);
  return { wall: last[0], cpu: last[1] + last[2], rss: last[3] };
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

function compare(name, args) {
  const res = { docker: [], tdocker: [], node: [] };
  for (let i = 0; i < runs; i++) {
    res.docker.push(measure('docker', args));
    res.tdocker.push(measure(TD, args));
    res.node.push(measure(process.execPath, ['-e', '0']));
  }
  const m = (who, k) => median(res[who].map((r) => r[k]));
  const line = (who) => `${who.padEnd(8)} wall ${m(who, 'wall').toFixed(2)} s  cpu ${m(who, 'cpu').toFixed(2)} s  peak rss ${(m(who, 'rss') / 1024).toFixed(0)} MB`;
  console.log(`== ${name} (median of ${runs})\n${line('docker')}\n${line('tdocker')}\n${line('node')}`);
  if (process.env.BENCH_VERBOSE) for (const who of ['docker', 'tdocker']) console.log(`  ${who}: ${res[who].map((r) => `${r.wall}/${r.cpu.toFixed(2)}`).join(' ')}`);
  console.log(`ratio tdocker/docker: wall ${(m('tdocker', 'wall') / m('docker', 'wall')).toFixed(2)}  cpu ${(m('tdocker', 'cpu') / m('docker', 'cpu')).toFixed(2)}` +
    `  wall - (docker + node -e 0): ${(m('tdocker', 'wall') - m('docker', 'wall') - m('node', 'wall')).toFixed(2)} s`);
}

try {
  if (cases.includes('ps') || cases.includes('inspect')) {
    sh(`seq 1 1000 | xargs -P 4 -I{} docker create -q --label ${label} --name bench-ls-${id}-{} busybox true >/dev/null`);
    if (cases.includes('ps')) compare('ps -a with 1,000 containers', ['ps', '-a']);
    if (cases.includes('inspect')) {
      const names = Array.from({ length: 200 }, (_, i) => `bench-ls-${id}-${i + 1}`);
      compare('inspect of 200 containers', ['inspect', ...names]);
    }
  }
  if (cases.includes('images')) {
    sh(`seq 1 500 | xargs -P 4 -I{} docker tag busybox bench-ls-${id}:{}`);
    compare('images -a with 500 images', ['images', '-a']);
  }
} finally {
  sh(`docker ps -aq --filter label=${label} | xargs -r docker rm -f >/dev/null`);
  sh(`docker images --format '{{.Repository}}:{{.Tag}}' bench-ls-${id} | xargs -r docker rmi >/dev/null`);
}
