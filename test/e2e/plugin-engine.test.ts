/**
 * Managed (engine) plugins: create, enable, disable, set, inspect, ls, push, install, upgrade and rm,
 * docker 28 against tdocker on the same engine and the 127.0.0.1:5000 registry. The plugin is made
 * with `plugin create` from a busybox container's export plus the host's perl, whose few lines listen
 * on the plugin's socket (the engine dials it to call the plugin enabled).
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, tdocker, uniqueName, type RunResult } from '../helpers/run.js';

const REG = '127.0.0.1:5000';
const work = mkdtempSync(join(tmpdir(), 'tdplugin-'));
const cfg = join(work, 'config');
const data = join(work, 'data');
const env = { DOCKER_CONFIG: cfg };
const repo = uniqueName('tdplug');
// docker's plugin and ours: the same steps, each on its own name
const names = { docker: `${REG}/${repo}/d:1`, tdocker: `${REG}/${repo}/t:1` };
const aliases = { docker: `${repo}-dalias`, tdocker: `${repo}-talias` };

const config = {
  description: 'tdocker test volume plugin',
  documentation: 'https://example.com/tdocker',
  entrypoint: [
    '/usr/bin/perl', '-MSocket', '-e',
    "socket(my $s,PF_UNIX,SOCK_STREAM,0) or die; unlink '/run/docker/plugins/td.sock'; bind($s,pack_sockaddr_un('/run/docker/plugins/td.sock')) or die $!; listen($s,5) or die; $SIG{TERM}=sub{exit 0}; while(accept(my $c,$s)){close $c}",
  ],
  interface: { socket: 'td.sock', types: ['docker.volumedriver/1.0'] },
  network: { type: 'host' },
  linux: { capabilities: ['CAP_NET_ADMIN'] },
  env: [{ name: 'DEBUG', description: 'debug', settable: ['value'], value: '0' }],
};

before(async () => {
  mkdirSync(cfg);
  const rootfs = join(data, 'rootfs');
  mkdirSync(rootfs, { recursive: true });
  const id = execFileSync('docker', ['create', 'busybox'], { encoding: 'utf8' }).trim();
  try {
    execFileSync('sh', ['-c', `docker export ${id} | tar -x -C ${rootfs}`]);
  } finally {
    execFileSync('docker', ['rm', id]);
  }
  for (const d of ['usr/bin', 'lib/x86_64-linux-gnu', 'lib64', 'usr/lib/x86_64-linux-gnu']) mkdirSync(join(rootfs, d), { recursive: true });
  copyFileSync('/usr/bin/perl', join(rootfs, 'usr/bin/perl'));
  for (const l of ['libm.so.6', 'libc.so.6', 'libcrypt.so.1']) copyFileSync(`/lib/x86_64-linux-gnu/${l}`, join(rootfs, 'lib/x86_64-linux-gnu', l));
  copyFileSync('/lib64/ld-linux-x86-64.so.2', join(rootfs, 'lib64/ld-linux-x86-64.so.2'));
  cpSync('/usr/lib/x86_64-linux-gnu/perl-base', join(rootfs, 'usr/lib/x86_64-linux-gnu/perl-base'), { recursive: true });
  writeFileSync(join(data, 'config.json'), JSON.stringify(config));
  const login = await docker(['login', REG, '-u', process.env.TDOCKER_REG_USER ?? 'testuser', '--password-stdin'], { env, input: `${process.env.TDOCKER_REG_PASS ?? 'testpassword'}\n` });
  assert.equal(login.code, 0, login.stderr);
});

after(async () => {
  for (const n of [...Object.values(names), ...Object.values(aliases)]) await docker(['plugin', 'rm', '-f', n], { env });
  rmSync(work, { recursive: true, force: true });
});

/** Output with each client's plugin names (and ids, digests) replaced by placeholders. */
function norm(r: RunResult, who: 'docker' | 'tdocker'): RunResult {
  const f = (s: string): string =>
    s.split(names[who]).join('<NAME>').split(names[who].replace(/:1$/, '')).join('<REPO>').split(aliases[who]).join('<ALIAS>')
      .replace(/\btdocker\b/g, 'docker')
      .replace(/sha256:[0-9a-f]{64}/g, 'sha256:<D>').replace(/\b[0-9a-f]{64}\b/g, '<ID64>').replace(/\b[0-9a-f]{12}\b/g, '<ID>')
      // a push's blob "Waiting" while the engine uploads others is its timing, not the client's (CI once)
      .replace(/^<ID>: Waiting\n/gm, '');
  return { ...r, stdout: f(r.stdout), stderr: f(r.stderr) };
}

/** Run args (with NAME/ALIAS standing for each client's own) through both; assert the same result. */
async function same(args: string[], o: { input?: string; code?: number } = {}): Promise<RunResult> {
  const sub = (who: 'docker' | 'tdocker'): string[] => args.map((a) => a.replace('NAME', names[who]).replace('ALIAS', aliases[who]));
  const ref = norm(await docker(sub('docker'), { env, input: o.input }), 'docker');
  const ours = norm(await tdocker(sub('tdocker'), { env, input: o.input }), 'tdocker');
  const what = args.join(' ');
  if (o.code !== undefined) assert.equal(ref.code, o.code, `${what}: docker: ${ref.stderr}`);
  assert.equal(ours.stdout, ref.stdout, what);
  assert.equal(ours.stderr, ref.stderr, what);
  assert.equal(ours.code, ref.code, what);
  return ours;
}

/** The rows of `plugin ls` that are this test's plugins. */
async function lsRows(args: string[]): Promise<void> {
  const mine = (r: RunResult, who: 'docker' | 'tdocker'): string[] =>
    r.stdout.split('\n').filter((l) => l.startsWith('ID ') || l.includes(names[who]) || l.includes(aliases[who])).map((l) => norm({ ...r, stdout: l }, who).stdout.replace(/ +/g, ' '));
  const ref = await docker(['plugin', 'ls', ...args], { env });
  const ours = await tdocker(['plugin', 'ls', ...args], { env });
  assert.equal(ours.code, ref.code);
  assert.deepEqual(mine(ours, 'tdocker'), mine(ref, 'docker'), args.join(' '));
}

test('plugin create: the same errors as docker for a bad name, directory or config.json', async () => {
  const file = join(work, 'afile');
  writeFileSync(file, 'x');
  const noCfg = join(work, 'nocfg');
  mkdirSync(noCfg);
  const badCfg = join(work, 'badcfg');
  mkdirSync(badCfg);
  writeFileSync(join(badCfg, 'config.json'), '{"description": }');
  for (const args of [
    ['plugin', 'create', 'Bad:Name', data], ['plugin', 'create', `${REG}/${repo}/x`, join(work, 'nosuch')],
    ['plugin', 'create', `${REG}/${repo}/x`, file], ['plugin', 'create', `${REG}/${repo}/x`, noCfg],
    ['plugin', 'create', `${REG}/${repo}/x`, badCfg], ['plugin', 'create', 'onlyname'],
  ]) await same(args);
});

test('plugin create, ls, inspect, enable, set, disable, push: docker\'s output', async () => {
  await same(['plugin', 'create', 'NAME', data], { code: 0 });
  await lsRows([]);
  await lsRows(['--no-trunc']);
  await lsRows(['--format', '{{.Name}} {{.Enabled}} {{.PluginReference}} {{.Description}}']);
  await lsRows(['--format', 'json']);
  await lsRows(['--filter', 'enabled=false', '-q']);
  await same(['plugin', 'inspect', '-f', '{{.Name}} {{.Enabled}} {{.Config.Description}} {{.Settings.Env}}', 'NAME'], { code: 0 });
  await same(['plugin', 'inspect', 'nosuch-' + repo], { code: 1 });
  await same(['plugin', 'enable', '--timeout', '-1', 'NAME'], { code: 1 });
  await same(['plugin', 'enable', 'NAME'], { code: 0 });
  await lsRows(['--filter', 'enabled=true']);
  await same(['plugin', 'set', 'NAME', 'DEBUG=1'], { code: 1 });
  await same(['plugin', 'rm', 'NAME'], { code: 1 });
  await same(['plugin', 'disable', 'NAME'], { code: 0 });
  await same(['plugin', 'set', 'NAME', 'NOPE=1'], { code: 1 });
  await same(['plugin', 'set', 'NAME', 'DEBUG=3'], { code: 0 });
  await same(['plugin', 'inspect', '-f', '{{.Settings.Env}}', 'NAME'], { code: 0 });
  await same(['plugin', 'push', 'NAME'], { code: 0 });
  await same(['plugin', 'push', `NAME@sha256:${'a'.repeat(64)}`], { code: 1 });
  await same(['plugin', 'rm', 'NAME', 'nosuch-' + repo], { code: 1 });
});

test('plugin install from the registry: the permission prompt (no, then --grant-all-permissions), settings, upgrade', async () => {
  // declined at the prompt: nothing is installed
  const no = await same(['plugin', 'install', 'NAME'], { input: 'n\n', code: 1 });
  assert.match(no.stdout, /is requesting the following privileges:\n - network: \[host\]\n - capabilities: \[CAP_NET_ADMIN\]\nDo you grant the above permissions\? \[y\/N\] $/);
  await same(['plugin', 'install', '--grant-all-permissions', '--alias', 'ALIAS', 'NAME', 'DEBUG=7'], { code: 0 });
  await same(['plugin', 'inspect', '-f', '{{.Name}} {{.Enabled}} {{.Settings.Env}} {{.PluginReference}}', 'ALIAS'], { code: 0 });
  await lsRows(['--format', '{{.Name}} {{.Enabled}} {{.PluginReference}}']);
  await same(['plugin', 'upgrade', 'ALIAS'], { code: 1 });
  await same(['plugin', 'disable', 'ALIAS'], { code: 0 });
  await same(['plugin', 'upgrade', 'ALIAS', 'NAME'], { input: 'n\n', code: 1 });
  await same(['plugin', 'upgrade', '--grant-all-permissions', 'ALIAS'], { code: 0 });
  await same(['plugin', 'upgrade', 'nosuch-' + repo], { code: 1 });
  await same(['plugin', 'install', '--alias', 'x@sha256:' + 'a'.repeat(64), 'NAME'], { code: 1 });
  await same(['plugin', 'install', '--disable', '--grant-all-permissions', 'NAME'], { code: 0 });
  await same(['plugin', 'rm', '-f', 'ALIAS', 'NAME'], { code: 0 });
});
