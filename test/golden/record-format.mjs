#!/usr/bin/env node
// Re-records test/golden/format-list.json and format-inspect.json from the real docker client and engine.
// Creates only objects named fmt-*, removes them afterwards. Usage: node test/golden/record-format.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import http from 'node:http';

const here = new URL('.', import.meta.url).pathname;
const docker = (...args) => spawnSync('docker', args, { encoding: 'utf8' });
const sh = (...args) => execFileSync('docker', args, { encoding: 'utf8' });

function api(path) {
  return new Promise((resolve, reject) => {
    http
      .get({ socketPath: '/var/run/docker.sock', path: '/v1.41' + path }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve(JSON.parse(body)));
      })
      .on('error', reject);
  });
}

function cleanup() {
  docker('rm', '-f', 'fmt-web', 'fmt-idle');
  docker('rmi', 'fmt-img:1', 'fmt-img:2', 'fmt-repo/x:latest');
  docker('network', 'rm', 'fmt-net');
  docker('volume', 'rm', 'fmt-vol');
}

function setup() {
  cleanup();
  sh('volume', 'create', '--label', 'b=2', '--label', 'a=1', 'fmt-vol');
  sh('network', 'create', '--label', 'fmt.x=1', 'fmt-net');
  sh('tag', 'busybox', 'fmt-img:1');
  sh('tag', 'busybox', 'fmt-img:2');
  sh('tag', 'busybox', 'fmt-repo/x:latest');
  sh('create', '--name', 'fmt-web', '-l', 'b=2', '-l', 'a.b-c_d=x', '-p', '127.0.0.1:8080:80', '-p', '9090', '-p', '8000-8002:8000-8002',
    '--expose', '7000-7001', '-v', 'fmt-vol:/data', '--network', 'fmt-net', 'busybox', 'sh', '-c', 'echo started; sleep 3000');
  sh('start', 'fmt-web');
  sh('create', '--name', 'fmt-idle', 'busybox', 'true');
}

const q = (o) => encodeURIComponent(JSON.stringify(o));
const LISTS = {
  ps: { path: `/containers/json?all=1&filters=${q({ name: ['fmt-'] })}`, args: ['ps', '-a', '--filter', 'name=fmt-'] },
  images: { path: `/images/json?filters=${q({ reference: ['fmt-*'] })}`, args: ['images', '--filter', 'reference=fmt-*'] },
  volumes: { path: `/volumes?filters=${q({ name: ['fmt-'] })}`, args: ['volume', 'ls', '--filter', 'name=fmt-'] },
  networks: { path: `/networks?filters=${q({ name: ['fmt-'] })}`, args: ['network', 'ls', '--filter', 'name=fmt-'] },
  history: { path: '/images/fmt-img:1/history', args: ['history', 'fmt-img:1'] },
};
const LIST_CASES = {
  ps: [[], ['--no-trunc'], ['-q'], ['--format', 'json'], ['--format', 'raw'], ['--format', 'table {{.ID}}\\t{{.Names}}\\t'],
    ['--format', '{{.Labels}}|{{.Label "a.b-c_d"}}|{{.Mounts}}|{{.LocalVolumes}}|{{.Networks}}|{{.Ports}}|{{.Command}}|{{.Image}}|{{.State}}|{{.Platform}}'],
    ['--format', 'table {{.Names}} {{json .Labels}}\\t{{upper .State}}\\t{{.Label "com.example-x_y"}}\\t{{.Nope2}}x'],
    ['--format', 'table {{.Names}}\\t{{.Nope}}'], ['--format', '{{.Names'], ['--format', 'table {{.Names}}\\t{{.CreatedAt | len}}']],
  images: [[], ['--digests'], ['--no-trunc'], ['-q'], ['--format', 'json'], ['--format', 'raw'],
    ['--format', '{{.Repository}} {{.Containers}} {{.SharedSize}} {{.UniqueSize}} {{.VirtualSize}} [{{.Digest}}]'], ['--format', 'table {{.Repository}}\\t{{.Tag}}', '--digests']],
  volumes: [[], ['-q'], ['--format', 'json'], ['--format', 'table {{.Name}}\\t{{.Labels}}\\t{{.Label "a"}}\\t{{.Links}}\\t{{.Size}}\\t{{.Status}}']],
  networks: [[], ['--no-trunc'], ['--format', 'json'], ['--format', 'table {{.Name}}\\t{{.IPv6}}\\t{{.Internal}}\\t{{.Labels}}\\t{{.CreatedAt}}']],
  history: [[], ['--no-trunc'], ['-H=false'], ['--format', 'json'], ['--format', 'table {{.ID}}\\t{{.CreatedAt}}\\t{{.Size}}']],
};
const INSPECT = {
  container: ['fmt-web', ['{{.State}}', '{{.State.Pid | printf "%T"}}', '{{.Config.ExposedPorts}}', '{{.Config}}', '{{.NetworkSettings.Ports}}', '{{json .Config}}',
    '{{json .State}}', '{{.Mounts}}', '{{.Name}} {{.Id}}', '{{.Nope}}', '{{printf "%T" .}}', '{{.HostConfig.RestartPolicy}}', '{{json .HostConfig}}', '{{.GraphDriver}}',
    '{{.Config.Cmd}} {{printf "%T" .Config.Cmd}}', '{{.HostConfig.ConsoleSize}}', '{{.HostConfig.Memory | printf "%T %v"}}', '{{json .}}', '{{.Config.Labels}}']],
  image: ['fmt-img:1', ['{{.RootFS.Layers}}', '{{.RootFS}}', '{{.Config}}', '{{.Size | printf "%T"}}', '{{.Metadata}}', '{{json .Config}}', '{{.ContainerConfig}}', '{{json .}}', '{{.Id}}']],
  volume: ['fmt-vol', ['{{.}}', '{{.Labels}}', '{{.UsageData}}', '{{json .}}', '{{.Nope}}']],
  network: ['fmt-net', ['{{.IPAM}}', '{{.Created}}', '{{json .IPAM}}', '{{.Labels}}', '{{.Internal | printf "%T"}}']],
};

async function main() {
  setup();
  try {
    await new Promise((r) => setTimeout(r, 1500));
    const lists = {};
    for (const [kind, l] of Object.entries(LISTS)) {
      const cases = [];
      for (const extra of LIST_CASES[kind]) {
        const before = Date.now();
        const r = docker(...l.args, ...extra);
        const now = Math.round((before + Date.now()) / 2);
        const raw = await api(l.path);
        cases.push({ args: extra, now, raw: kind === 'volumes' ? raw.Volumes : raw, stdout: r.stdout, stderr: r.stderr, status: r.status });
      }
      lists[kind] = cases;
    }
    writeFileSync(here + 'format-list.json', JSON.stringify(lists, null, 1) + '\n');
    const inspect = {};
    for (const [kind, [name, formats]] of Object.entries(INSPECT)) {
      const raw = JSON.parse(sh(kind, 'inspect', name))[0];
      const cases = formats.map((f) => {
        const r = docker(kind, 'inspect', '--format', f, name);
        return { format: f, stdout: r.stdout, stderr: r.stderr, status: r.status };
      });
      inspect[kind] = { raw, cases };
    }
    writeFileSync(here + 'format-inspect.json', JSON.stringify(inspect, null, 1) + '\n');
  } finally {
    cleanup();
  }
}

await main();
