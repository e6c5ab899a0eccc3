#!/usr/bin/env node
// Remote engines: `ps` and `run --rm busybox true` over TCP+TLS and over SSH, tdocker against the
// reference docker on the same endpoint, alternating runs, median wall time, with `node -e 0` in the
// same turns: the floor any Node client starts from.
//   node --import tsx bench/remote.mjs [runs]
// TLS: the tests' TLS proxy on 127.0.0.1 (throwaway CA, client certificates) in front of the engine,
// with TCP_NODELAY as dockerd's Go listener has it.
// SSH: the tests' sshd on 127.0.0.1 (needs test/setup/sshd.sh); both clients run the system ssh.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTlsEndpoint } from '../test/helpers/tlsproxy.ts';
import { startSshd } from '../test/helpers/sshd.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TD = join(root, 'bin', 'tdocker');
const runs = Number(process.argv[2] ?? 7);
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

// asynchronous: the TLS proxy runs in this process
function wall(bin, args, env) {
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const c = spawn(bin, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d) => (err += d));
    c.on('close', (code) => (code === 0 ? resolve(Number(process.hrtime.bigint() - t) / 1e6) : reject(new Error(`${bin} ${args.join(' ')}: ${err}`))));
  });
}

// the floor: a node process that does nothing, started as bin/tdocker starts node (without
// NODE_EXTRA_CA_CERTS, which the launcher takes out of node's start-up)
const nodeEnv = { NODE_EXTRA_CA_CERTS: '' };

async function compare(label, args, env) {
  const res = { docker: [], tdocker: [], node: [] };
  await wall('docker', args, env);
  await wall(TD, args, env);
  // runs in turn (docker, tdocker, node -e 0), so that the machine's drift hits all three alike
  for (let i = 0; i < runs; i++) {
    res.docker.push(await wall('docker', args, env));
    res.tdocker.push(await wall(TD, args, env));
    res.node.push(await wall('node', ['-e', '0'], { ...env, ...nodeEnv }));
  }
  const d = median(res.docker);
  const t = median(res.tdocker);
  const n = median(res.node);
  // the median of each turn's ratio (one run of each, one after the other: drift cancels out)
  const pairs = median(res.tdocker.map((x, i) => x / res.docker[i]));
  const floor = median(res.node.map((x, i) => x / res.docker[i]));
  console.log(
    `${label.padEnd(28)} docker ${d.toFixed(0).padStart(5)} ms   tdocker ${t.toFixed(0).padStart(5)} ms   ${pairs.toFixed(2)}x docker` +
      `   (node -e 0 ${n.toFixed(0).padStart(4)} ms: ${floor.toFixed(2)}x docker)`,
  );
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`${runs} turns of each; medians of wall time; ratios are medians of each turn's ratio; load average ${load()}`);
const tls = await startTlsEndpoint();
try {
  const env = { DOCKER_HOST: tls.host, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: tls.dir };
  await compare('tls ps', ['ps'], env);
  await compare('tls run --rm busybox true', ['run', '--rm', 'busybox', 'true'], env);
} finally {
  await tls.close();
}
if (existsSync('/usr/sbin/sshd')) {
  const sshd = await startSshd();
  try {
    const env = { DOCKER_HOST: 'ssh://tdremote', PATH: sshd.path };
    await compare('ssh ps', ['ps'], env);
    await compare('ssh run --rm busybox true', ['run', '--rm', 'busybox', 'true'], env);
  } finally {
    await sshd.close();
  }
} else {
  console.log('ssh: no sshd (run test/setup/sshd.sh)');
}
console.log(`load average ${load()} (2 cores: figures taken above ~2 are noisy)`);
