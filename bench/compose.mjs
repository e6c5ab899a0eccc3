// compose up -d of 20 independent services against 20 `tdocker run -d` of the same containers one
// after another; then compose down against 20 sequential `tdocker rm -f`. Wall time of each, median of
// a few rounds, and the median of the rounds' ratios (each round runs both sides back to back, so a
// ratio holds when the machine's speed drifts), with the load average. Usage: node bench/compose.mjs [rounds]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TDOCKER = join(ROOT, 'bin', 'tdocker');
const N = 20;
const rounds = Number(process.argv[2] ?? 3);

function time(args, opts = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(TDOCKER, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const dir = mkdtempSync(join(tmpdir(), 'compose-bench-'));
let yaml = 'services:\n';
for (let i = 0; i < N; i++) yaml += `  s${i}:\n    image: busybox\n    command: sleep 3600\n    init: true\n`;
writeFileSync(join(dir, 'compose.yaml'), yaml);

const res = { composeUp: [], runs: [], composeDown: [], rms: [] };
try {
  for (let r = 0; r < rounds; r++) {
    const project = `bench-${randomBytes(4).toString('hex')}`;
    res.composeUp.push(time(['compose', '-p', project, 'up', '-d'], { cwd: dir }));
    res.composeDown.push(time(['compose', '-p', project, 'down', '-t', '10'], { cwd: dir }));
    const names = Array.from({ length: N }, (_, i) => `${project}-run-${i}`);
    let t = 0;
    for (const n of names) t += time(['run', '-d', '--init', '--name', n, 'busybox', 'sleep', '3600']);
    res.runs.push(t);
    t = 0;
    for (const n of names) t += time(['rm', '-f', n]);
    res.rms.push(t);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const f = (ms) => `${(ms / 1000).toFixed(2)} s`;
const load = loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`${N} services, median of ${rounds} rounds (load average at the end: ${load})`);
console.log(`compose up -d          ${f(median(res.composeUp))}`);
console.log(`${N} x run -d (serial)   ${f(median(res.runs))}`);
console.log(`compose down           ${f(median(res.composeDown))}`);
console.log(`${N} x rm -f (serial)    ${f(median(res.rms))}`);
const ratios = (a, b) => a.map((x, i) => x / b[i]);
console.log(`up -d / run -d x${N}: median ratio ${median(ratios(res.composeUp, res.runs)).toFixed(3)} (rounds: ${ratios(res.composeUp, res.runs).map((x) => x.toFixed(3)).join(' ')})`);
console.log(`down / rm -f x${N}:   median ratio ${median(ratios(res.composeDown, res.rms)).toFixed(3)} (rounds: ${ratios(res.composeDown, res.rms).map((x) => x.toFixed(3)).join(' ')})`);
