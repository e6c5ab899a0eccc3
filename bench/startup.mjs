#!/usr/bin/env node
// Start-up cost: medians of alternating runs of `node -e 0` (the Node floor), `tdocker ps` and
// `docker ps` on an idle engine; prints each median and the ratios. With NODE_EXTRA_CA_CERTS in the
// environment (node parses it at start-up; bin/tdocker keeps it out), `node -e 0` is also run without
// it: the floor tdocker's start-up actually competes with. Usage: node bench/startup.mjs [runs]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 21);
const subjects = [
  ['node -e 0', process.execPath, ['-e', '0']],
  ...(process.env.NODE_EXTRA_CA_CERTS ? [['node -e 0 (no CA)', 'env', ['-u', 'NODE_EXTRA_CA_CERTS', process.execPath, '-e', '0']]] : []),
  ['tdocker ps', join(root, 'bin', 'tdocker'), ['ps']],
  ['docker ps', 'docker', ['ps']],
  ['tdocker --help', join(root, 'bin', 'tdocker'), ['--help']],
];
const times = new Map(subjects.map(([name]) => [name, []]));

function once(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return ms;
}

for (const [, cmd, args] of subjects) once(cmd, args); // warm the caches
for (let i = 0; i < runs; i++) for (const [name, cmd, args] of subjects) times.get(name).push(once(cmd, args));

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const m = Object.fromEntries([...times].map(([k, v]) => [k, median(v)]));
for (const [k, v] of Object.entries(m)) console.log(`${k.padEnd(16)} ${v.toFixed(1)} ms (median of ${runs})`);
console.log(`tdocker ps / node -e 0     = ${(m['tdocker ps'] / m['node -e 0']).toFixed(2)}`);
console.log(`tdocker ps / docker ps     = ${(m['tdocker ps'] / m['docker ps']).toFixed(2)}`);
console.log(`tdocker --help / node -e 0 = ${(m['tdocker --help'] / m['node -e 0']).toFixed(2)}`);
if (m['node -e 0 (no CA)']) {
  console.log(`tdocker ps / node -e 0 (no CA)     = ${(m['tdocker ps'] / m['node -e 0 (no CA)']).toFixed(2)}`);
  console.log(`tdocker --help / node -e 0 (no CA) = ${(m['tdocker --help'] / m['node -e 0 (no CA)']).toFixed(2)}`);
}
