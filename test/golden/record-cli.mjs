#!/usr/bin/env node
// Re-records the in-process golden suite (test/golden/cli/): not run by CI, needs the real engine and
// the reference docker 28 on PATH. Usage: node test/golden/record-cli.mjs [--replay-only]
//
// 1. record: makes objects named gld-* (and, when the engine is not in a swarm, a swarm of one node
//    for the swarm verbs, left at the end), runs every case through a recording proxy in front of the
//    engine and keeps each distinct request's answer (engine.json);
// 2. replay: serves those recorded answers alone on a unix socket and runs docker 28 on each case
//    against it: its stdout, stderr and status are the golden (<verb>.json), docker's own bytes for
//    the same engine answers that the in-process test hands tdocker through a fake EngineClient.
// Each case runs twice in the replay; a case whose two outputs differ (a relative time crossing a
// second) is run again, so the recorded `now` is one docker's clock agreed with.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('./cli/', import.meta.url));
const ENGINE = '/var/run/docker.sock';
/** the socket docker 28 reads the recorded answers from; the in-process test names the same host */
export const REPLAY_SOCK = '/tmp/tdocker-golden.sock';
const REC_SOCK = join(tmpdir(), `gld-rec-${process.pid}.sock`);
const replayOnly = process.argv.includes('--replay-only');
const swarmOnly = process.argv.includes('--swarm-only');
const configDir = mkdtempSync(join(tmpdir(), 'gld-config-'));
const baseEnv = { PATH: process.env.PATH, HOME: configDir, DOCKER_CONFIG: configDir, TZ: 'UTC', LANG: 'C' };

const sh = (...args) => execFileSync('docker', args, { encoding: 'utf8', env: { ...process.env, DOCKER_HOST: '' } });
const quiet = (...args) => spawnSync('docker', args, { encoding: 'utf8' });

// ---- the cases: [file, args, env?] ------------------------------------------------------------------
const T = { since: 0, until: 0 };
function cases() {
  const L = ['--filter', 'label=gld'];
  const c = [];
  const add = (file, args, env) => c.push({ file, args, env });
  add('ps', ['ps']);
  add('ps', ['ps', '-a']);
  for (const f of [['-a'], ['-a', '-q'], ['-a', '-s'], ['-a', '--no-trunc'], ['-a', '--format', 'json'], ['-a', '--format', 'table'],
    ['-a', '--format', 'table {{.Names}}\t{{.Status}}\t{{.Ports}}\t{{.Mounts}}\t{{.Networks}}'], ['-a', '--format', '{{.Names}} {{.CreatedAt}} {{.Labels}} {{.Label "gld"}}'],
    ['-a', '--format', '{{json .}}'], ['-a', '-n', '2'], ['-l'], ['-a', '--format', '{{.Size}}', '-s']]) add('ps', ['ps', ...f, ...L]);
  add('ps', ['ps', '-a', '--format', '{{.Names}} {{.CreatedAt}}', ...L], { TZ: 'America/New_York' });
  add('ps', ['ps', '-a', '--format', '{{.Names}} {{.CreatedAt}}', ...L], { TZ: 'Asia/Kolkata' });
  add('ps', ['container', 'ls', '-a', '--filter', 'name=gld-web']);
  add('images', ['images']);
  add('images', ['images', '-a']);
  for (const f of [[], ['--digests'], ['--no-trunc'], ['-q'], ['--format', 'json'], ['--format', 'table {{.Repository}}\t{{.Tag}}\t{{.Size}}'], ['--format', '{{.ID}} {{.CreatedAt}}']])
    add('images', ['images', ...f, '--filter', 'reference=gld-*']);
  add('images', ['image', 'ls', '--filter', 'reference=gld-*', '--format', '{{.Repository}} {{.CreatedAt}}'], { TZ: 'America/New_York' });
  add('volume-ls', ['volume', 'ls']);
  for (const f of [[], ['-q'], ['--format', 'json'], ['--format', 'table {{.Name}}\t{{.Labels}}\t{{.Label "gld"}}']]) add('volume-ls', ['volume', 'ls', ...f, ...L]);
  add('network-ls', ['network', 'ls']);
  for (const f of [[], ['--no-trunc'], ['-q'], ['--format', 'json'], ['--format', '{{.Name}} {{.Driver}} {{.Labels}} {{.CreatedAt}}']]) add('network-ls', ['network', 'ls', ...f, ...L]);
  add('context', ['context', 'ls']);
  add('context', ['context', 'ls', '--format', 'json']);
  add('context', ['context', 'ls', '-q']);
  add('context', ['context', 'inspect', 'gld-ctx']);
  add('context', ['context', 'inspect', '--format', '{{json .}}', 'gld-ctx']);
  add('context', ['context', 'inspect', '--format', '{{.Metadata}}', 'gld-ctx']);
  // inspect: the container, the image, the volume, the network
  const cinspect = ['', '{{.Config.Healthcheck.Interval}}', '{{.Config.Healthcheck}}', '{{.HostConfig.Ulimits}}', '{{json .Config.Labels}}', '{{json .HostConfig.Ulimits}}',
    '{{.State.Health.Status}}', '{{.HostConfig.Memory}} {{.HostConfig.RestartPolicy}} {{.HostConfig.LogConfig}}', '{{.Config.StopTimeout}} {{.SizeRw}} {{.State.Pid | printf "%T"}}',
    '{{.NetworkSettings.Ports}}', '{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{$v.Aliases}}{{end}}', '{{.Mounts}}', '{{.Created}}', '{{.Config.Healthcheck.Timeout}} {{.HostConfig.ShmSize}}'];
  for (const f of cinspect) add('container-inspect', f ? ['container', 'inspect', '--format', f, 'gld-web'] : ['container', 'inspect', 'gld-web']);
  add('container-inspect', ['inspect', 'gld-web']);
  add('container-inspect', ['inspect', '--type', 'container', '--format', '{{.Name}}', 'gld-web', 'gld-idle']);
  add('container-inspect', ['container', 'inspect', '-s', '--format', '{{.SizeRw}} {{.SizeRootFs}}', 'gld-web']);
  add('container-inspect', ['container', 'inspect', 'gld-nosuch']);
  add('container-inspect', ['container', 'inspect', 'gld-idle', 'gld-nosuch']);
  for (const f of ['', '{{.Config.Cmd}} {{.Comment}} {{.RootFS.Layers}}', '{{json .Config}}', '{{.Created}} {{.Size}} {{.Metadata}}'])
    add('image-inspect', f ? ['image', 'inspect', '--format', f, 'gld-img:1'] : ['image', 'inspect', 'gld-img:1']);
  add('image-inspect', ['image', 'inspect', 'gld-nosuch']);
  for (const f of ['', '{{.Labels}} {{.Options}} {{.Scope}}', '{{json .}}', '{{.CreatedAt}} {{.UsageData}}'])
    add('volume-inspect', f ? ['volume', 'inspect', '--format', f, 'gld-vol'] : ['volume', 'inspect', 'gld-vol']);
  add('volume-inspect', ['volume', 'inspect', 'gld-nosuch']);
  for (const f of ['', '{{.IPAM.Config}} {{.Labels}}', '{{json .IPAM}}', '{{.Created}} {{.ConfigFrom}} {{.Peers}}'])
    add('network-inspect', f ? ['network', 'inspect', '--format', f, 'gld-net'] : ['network', 'inspect', 'gld-net']);
  add('network-inspect', ['network', 'inspect', 'gld-nosuch']);
  add('history', ['history', 'gld-img:1']);
  add('history', ['history', '--no-trunc', 'gld-img:1']);
  add('history', ['history', '-H=false', 'gld-img:1']);
  add('history', ['history', '-q', 'gld-img:1']);
  add('history', ['history', '--format', 'json', 'gld-img:1']);
  add('history', ['history', '--format', '{{.ID}}|{{.CreatedAt}}|{{.Comment}}', 'gld-img:1'], { TZ: 'America/New_York' });
  add('system-df', ['system', 'df']);
  add('system-df', ['system', 'df', '-v']);
  add('system-df', ['system', 'df', '--format', 'json']);
  add('port', ['port', 'gld-web']);
  add('port', ['port', 'gld-web', '80/tcp']);
  add('port', ['port', 'gld-web', '81']);
  add('top', ['top', 'gld-web']);
  add('top', ['container', 'top', 'gld-web', '-o', 'pid,comm']);
  add('diff', ['diff', 'gld-web']);
  add('diff', ['container', 'diff', 'gld-idle']);
  const ev = ['--since', String(T.since), '--until', String(T.until), '--filter', 'label=gld'];
  add('events', ['events', ...ev]);
  add('events', ['events', ...ev, '--format', '{{.Status}}|{{.ID}}|{{.From}}|{{.Type}}|{{.Action}}']);
  add('events', ['events', ...ev, '--format', '{{json .}}']);
  add('events', ['events', ...ev, '--format', 'json']);
  add('events', ['events', ...ev, '--format', '{{.Actor.Attributes}} {{.Time}} {{.TimeNano}}']);
  // the plain line's time is in the local zone (time.Unix), TZ honoured
  for (const TZ of ['Asia/Tokyo', 'America/New_York']) add('events', ['events', ...ev], { TZ });
  add('version', ['version']);
  add('version', ['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}} {{.Client.APIVersion}}']);
  add('version', ['version', '--format', '{{json .Server}}']);
  add('info', ['info']);
  add('info', ['info', '--format', '{{.Containers}} {{.Driver}} {{.Swarm.LocalNodeState}} {{.RegistryConfig.InsecureRegistryCIDRs}}']);
  add('info', ['info', '--format', '{{json .Plugins}}']);
  return c;
}

function swarmCases() {
  const c = [];
  const add = (file, args) => c.push({ file, args, set: 'swarm' });
  add('node', ['node', 'ls']);
  add('node', ['node', 'ls', '-q']);
  add('node', ['node', 'ls', '--format', 'json']);
  add('node', ['node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.Availability}} {{.ManagerStatus}} {{.TLSStatus}} {{.EngineVersion}}']);
  add('node', ['node', 'inspect', 'self']);
  add('node', ['node', 'inspect', '--pretty', 'self']);
  add('node', ['node', 'inspect', '--format', '{{.Spec.Role}} {{.Spec.Labels}} {{.Description.Resources}} {{.ManagerStatus.Leader}}', 'self']);
  add('service', ['service', 'ls']);
  add('service', ['service', 'ls', '-q']);
  add('service', ['service', 'ls', '--format', 'json']);
  add('service', ['service', 'ps', 'gld-svc']);
  add('service', ['service', 'ps', '--no-trunc', 'gld-svc']);
  add('service', ['service', 'ps', '-q', 'gld-svc']);
  add('service', ['service', 'ps', '--format', 'json', 'gld-svc']);
  add('service', ['service', 'inspect', 'gld-svc']);
  add('service', ['service', 'inspect', '--pretty', 'gld-svc']);
  add('service', ['service', 'inspect', '--format', '{{.Spec.Name}} {{.Spec.Mode.Replicated.Replicas}} {{.Spec.Labels}}', 'gld-svc']);
  add('service', ['service', 'inspect', '--format', '{{.Spec.UpdateConfig.Parallelism}}|{{.Spec.TaskTemplate.RestartPolicy.Condition}}|{{.Spec.TaskTemplate.ContainerSpec.StopGracePeriod}}|{{.Spec.EndpointSpec.Ports}}|{{.Spec.TaskTemplate.ContainerSpec.Labels}}', 'gld-svc']);
  add('service', ['service', 'inspect', '--format', '{{.Spec.TaskTemplate.ContainerSpec.Healthcheck}}|{{.Spec.TaskTemplate.Resources.Limits.NanoCPUs}}|{{.UpdateStatus}}|{{.Spec.RollbackConfig.Order}}|{{.Spec.Mode.Global}}', 'gld-svc']);
  add('service', ['service', 'inspect', 'gld-nosuch']);
  // os.FileMode prints by its String method (-r--r--r--), json and %d as the number
  add('service', ['service', 'inspect', '--format', '{{range .Spec.TaskTemplate.ContainerSpec.Secrets}}{{.File}}|{{.File.Mode}}|{{printf "%d %o %v %s %T %q" .File.Mode .File.Mode .File.Mode .File.Mode .File.Mode .File.Mode}}|{{json .File}}{{end}}', 'gld-svc']);
  add('service', ['service', 'inspect', '--format', '{{range .Spec.TaskTemplate.ContainerSpec.Configs}}{{.File}}|{{.File.Mode}}|{{printf "%v|%5.3s|%-12v|%x|%#v" .File.Mode .File.Mode .File.Mode .File.Mode .File.Mode}}{{end}}', 'gld-svc']);
  add('secret', ['secret', 'ls']);
  add('secret', ['secret', 'ls', '--format', 'json']);
  add('secret', ['secret', 'inspect', 'gld-sec']);
  add('secret', ['secret', 'inspect', '--pretty', 'gld-sec']);
  add('secret', ['secret', 'inspect', '--format', '{{.Spec.Name}} {{.Spec.Labels}} {{.Spec.Driver}}', 'gld-sec']);
  add('config', ['config', 'ls']);
  add('config', ['config', 'ls', '--format', 'json']);
  add('config', ['config', 'inspect', 'gld-cfg']);
  add('config', ['config', 'inspect', '--pretty', 'gld-cfg']);
  add('config', ['config', 'inspect', '--format', '{{.Spec.Name}} {{.Spec.Labels}} {{.Spec.Templating}}', 'gld-cfg']);
  add('stack', ['stack', 'ls']);
  add('stack', ['stack', 'ls', '--format', 'json']);
  add('stack', ['stack', 'services', 'gld-stack']);
  add('stack', ['stack', 'ps', 'gld-stack']);
  return c;
}

// ---- the recording proxy -----------------------------------------------------------------------------
/** the answers per engine state: `base`, then `swarm` (the same request answers otherwise in a swarm) */
const sets = { base: new Map(), swarm: new Map() };
let exchanges = sets.base;
const keyOf = (method, url) => {
  const u = new URL(url, 'http://x');
  return `${method} ${u.pathname.replace(/^\/v\d+\.\d+/, '')}?${u.search.slice(1)}`;
};

function recorder() {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (d) => chunks.push(d));
    req.on('end', () => {
      const up = http.request({ socketPath: ENGINE, method: req.method, path: req.url, headers: req.headers }, (r) => {
        const body = [];
        res.writeHead(r.statusCode, r.headers);
        r.on('data', (d) => {
          body.push(d);
          res.write(d);
        });
        r.on('end', () => {
          res.end();
          const key = keyOf(req.method, req.url);
          if (!exchanges.has(key)) {
            const headers = {};
            for (const [k, v] of Object.entries(r.headers)) if (!['date', 'content-length', 'transfer-encoding', 'connection'].includes(k)) headers[k] = v;
            exchanges.set(key, { key, status: r.statusCode, headers, body: Buffer.concat(body).toString('utf8') });
          }
        });
      });
      up.on('error', (e) => res.destroy(e));
      up.end(Buffer.concat(chunks));
    });
  });
  return new Promise((resolve) => server.listen(REC_SOCK, () => resolve(server)));
}

/** the recorded answers alone, as docker 28 reads them */
export function replayServer(list, sock) {
  const byKey = new Map(list.map((x) => [x.key, x]));
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const x = byKey.get(keyOf(req.method, req.url));
      if (!x) {
        console.error(`replay: not recorded: ${keyOf(req.method, req.url)}`);
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"message":"not recorded"}');
        return;
      }
      res.writeHead(x.status, x.headers);
      res.end(req.method === 'HEAD' ? undefined : x.body);
    });
  });
  rmSync(sock, { force: true });
  return new Promise((resolve) => server.listen(sock, () => resolve(server)));
}

function runDocker(sock, c) {
  return new Promise((resolve) => {
    const env = { ...baseEnv, ...(c.env ?? {}) };
    // asynchronous: the recorder and the replay server answer in this same process
    const p = spawn('docker', ['-H', `unix://${sock}`, ...c.args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill(), 30000);
    p.on('close', (status) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, status });
    });
  });
}

// ---- setup and cleanup -------------------------------------------------------------------------------
function cleanup() {
  quiet('rm', '-f', 'gld-web', 'gld-idle', 'gld-done');
  quiet('rmi', 'gld-img:1', 'gld-img:latest');
  quiet('network', 'rm', 'gld-net');
  quiet('volume', 'rm', 'gld-vol');
}

function setup() {
  cleanup();
  T.since = Math.floor(Date.now() / 1000) - 1;
  // one label per object: docker joins a list's labels in Go's random map order
  sh('volume', 'create', '--label', 'gld=1', 'gld-vol');
  sh('network', 'create', '--label', 'gld=<y>', 'gld-net');
  sh('run', '--name', 'gld-done', '-l', 'gld=1', 'busybox', 'sh', '-c', 'echo x > /f; mkdir -p /etc/gld');
  sh('commit', '-m', 'gld <commit> & co', '-c', 'CMD ["sh","-c","echo hi"]', '-c', 'LABEL gld=1', 'gld-done', 'gld-img:1');
  sh('tag', 'gld-img:1', 'gld-img:latest');
  sh('run', '-d', '--name', 'gld-web', '-l', 'gld=a<b&c>', '-p', '127.0.0.1::80', '-p', '127.0.0.1::81/udp', '--expose', '7000-7001',
    '--health-cmd', 'true', '--health-interval', '1s', '--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=512:1024', '-v', 'gld-vol:/data', '--network', 'gld-net',
    '--network-alias', 'web', 'gld-img:1', 'sh', '-c', 'mkdir /tmp/d; touch /etc/passwd; sleep 3000');
  sh('create', '--name', 'gld-idle', '-l', 'gld=1', 'busybox', 'true');
  // the health check passes once (interval 1s) and the diff exists
  for (let i = 0; i < 50 && sh('inspect', '--format', '{{.State.Health.Status}}', 'gld-web').trim() !== 'healthy'; i++) spawnSync('sleep', ['0.2']);
  T.until = Math.floor(Date.now() / 1000) + 1;
  // a context of the config directory's own
  const env = { ...process.env, DOCKER_CONFIG: configDir };
  execFileSync('docker', ['context', 'create', 'gld-ctx', '--description', 'tests <&> more', '--docker', 'host=tcp://127.0.0.1:2376,skip-tls-verify=true'], { env, stdio: 'ignore' });
}

function swarmSetup() {
  if (sh('info', '--format', '{{.Swarm.LocalNodeState}}').trim() !== 'inactive') return false;
  sh('swarm', 'init', '--advertise-addr', '127.0.0.1');
  execFileSync('docker', ['secret', 'create', '-l', 'gld=1', 'gld-sec', '-'], { input: 'secret value' });
  execFileSync('docker', ['config', 'create', '-l', 'gld=1', 'gld-cfg', '-'], { input: 'config value' });
  sh('service', 'create', '-d', '--name', 'gld-svc', '--label', 'com.docker.stack.namespace=gld-stack', '--label', 'gld=1', '--replicas', '1',
    '--secret', 'gld-sec', '--config', 'gld-cfg', '--publish', '18089:80', 'busybox', 'sleep', '3000');
  for (let i = 0; i < 100 && !/Running/.test(sh('service', 'ps', '--format', '{{.CurrentState}}', 'gld-svc')); i++) spawnSync('sleep', ['0.3']);
  return true;
}

function swarmLeave() {
  quiet('swarm', 'leave', '--force');
}

function files(root) {
  const out = {};
  const walk = (d) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(root, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return out;
}

// ---- main -------------------------------------------------------------------------------------------
mkdirSync(dir, { recursive: true });
const enginePath = join(dir, 'engine.json');
const old = existsSync(enginePath) ? JSON.parse(readFileSync(enginePath, 'utf8')) : undefined;
const byKey = (m) => [...m.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
let fixture;
if (replayOnly || swarmOnly) {
  fixture = old;
  for (const [p, text] of Object.entries(fixture.config)) {
    mkdirSync(join(configDir, p, '..'), { recursive: true });
    writeFileSync(join(configDir, p), text);
  }
}
if (!replayOnly) {
  const rec = await recorder();
  let swarm = false;
  try {
    let all = [];
    if (!swarmOnly) {
      setup();
      all = cases();
      for (const c of all) await runDocker(REC_SOCK, c);
    }
    swarm = swarmSetup();
    exchanges = sets.swarm;
    const sc = swarm ? swarmCases() : [];
    for (const c of sc) await runDocker(REC_SOCK, c);
    if (!swarm) console.error('the engine is in a swarm already: swarm cases not recorded');
    if (swarmOnly) {
      if (swarm) fixture = { ...fixture, cases: fixture.cases.filter((c) => c.set !== 'swarm').concat(sc), exchanges: { ...fixture.exchanges, swarm: byKey(sets.swarm) } };
    } else {
      const keep = swarm ? byKey(sets.swarm) : (old?.exchanges.swarm ?? []);
      const oldSwarmCases = swarm ? [] : (old?.cases ?? []).filter((c) => c.set === 'swarm');
      fixture = { replaySocket: REPLAY_SOCK, configDir, config: files(configDir), cases: all.concat(sc, oldSwarmCases), exchanges: { base: byKey(sets.base), swarm: keep } };
    }
  } finally {
    if (swarm) swarmLeave();
    if (!swarmOnly) cleanup();
    rec.close();
    rmSync(REC_SOCK, { force: true });
  }
  writeFileSync(enginePath, JSON.stringify(fixture, null, 1) + '\n');
}

const goldens = {};
try {
  for (const set of ['base', 'swarm']) {
    const server = await replayServer(fixture.exchanges[set], REPLAY_SOCK);
    try {
      for (const c of fixture.cases.filter((x) => (x.set ?? 'base') === set)) {
        let r;
        for (let attempt = 0; attempt < 5; attempt++) {
          const t0 = Date.now();
          const a = await runDocker(REPLAY_SOCK, c);
          const b = await runDocker(REPLAY_SOCK, c);
          const t1 = Date.now();
          if (a.stdout === b.stdout && a.stderr === b.stderr && a.status === b.status) {
            r = { args: c.args, env: c.env, set: c.set, now: Math.round((t0 + t1) / 2), ...a };
            break;
          }
        }
        if (!r) {
          console.error(`left out: docker's output never settled for ${c.args.join(' ')} (a pointer's address?)`);
          continue;
        }
        (goldens[c.file] ??= []).push(r);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
      rmSync(REPLAY_SOCK, { force: true });
    }
  }
} finally {
  rmSync(configDir, { recursive: true, force: true });
}
let n = 0;
for (const [file, list] of Object.entries(goldens)) {
  writeFileSync(join(dir, `${file}.json`), JSON.stringify(list, null, 1) + '\n');
  n += list.length;
}
console.log(`${fixture.exchanges.base.length} + ${fixture.exchanges.swarm.length} engine answers, ${n} goldens in ${Object.keys(goldens).length} files`);
