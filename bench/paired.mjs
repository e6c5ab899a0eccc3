// Paired, alternating measurement of two commands with public tools only (bash's `times`, GNU
// /usr/bin/time): wall, user+sys CPU and peak RSS of each finished run; A and B run in turn
// (A B A B ...) after one warm-up each, and the ratio A/B is taken pair by pair, so a drift in the
// machine's speed moves both. Medians are quoted. Output of the commands is thrown away.
import { spawnSync } from 'node:child_process';

export function measure(argv, env = process.env) {
  // GNU time's CPU figures are in hundredths of a second: too coarse for a 30 ms start-up. bash's
  // `times` gives its children's user and system time to the millisecond; GNU time the peak RSS
  // (bash's own, ~4 MB, is below any node process); the wall clock is read around the whole run.
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', 'bash', '-c', '"$@" >/dev/null 2>&1; st=$?; times; exit $st', 'bench', ...argv], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const lines = r.stdout.trim().split('\n');
  const sec = (t) => { const m = /(\d+)m([\d.]+)s/.exec(t); return m ? Number(m[1]) * 60 + Number(m[2]) : NaN; };
  const [u, s] = (lines[lines.length - 1] ?? '').split(/\s+/);
  return { status: r.status, wall, cpu: sec(u) + sec(s), peak: Number(r.stderr.trim().split('\n').pop()) / 1024 };
}

export const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** { a: {cpu, wall, peak}, b: {...}, ratio: {cpu, wall}, statuses } — medians; ratios are medians of pair ratios */
export function paired(a, b, { runs = 7, env = process.env } = {}) {
  measure(a, env);
  measure(b, env);
  const ra = [];
  const rb = [];
  for (let i = 0; i < runs; i++) {
    ra.push(measure(a, env));
    rb.push(measure(b, env));
  }
  const med = (rs, k) => median(rs.map((r) => r[k]));
  const ratio = (k) => median(ra.map((r, i) => r[k] / Math.max(rb[i][k], 1e-3)));
  return {
    a: { cpu: med(ra, 'cpu'), wall: med(ra, 'wall'), peak: med(ra, 'peak') },
    b: { cpu: med(rb, 'cpu'), wall: med(rb, 'wall'), peak: med(rb, 'peak') },
    ratio: { cpu: ratio('cpu'), wall: ratio('wall') },
    statuses: [...new Set([...ra, ...rb].map((r) => r.status))],
  };
}
