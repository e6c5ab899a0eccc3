/**
 * The start-up fast path (src/fast.ts, run by bin/launch.cjs) against the full bundle and docker 28,
 * on the answers of a fake engine of the test's own (a unix socket in a temporary directory), so the
 * three see the same bytes: TDOCKER_FAST=require fails (status 99) when the fast path declines,
 * TDOCKER_FAST=off runs the full bundle only. Lines outside the fast path's scope are checked to be
 * declined, and then printed as the full path prints them.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asDocker, docker, tdocker, type RunOptions, type RunResult } from '../helpers/run.js';

const dir = mkdtempSync(join(tmpdir(), 'tdocker-fast-'));
const sock = join(dir, 'engine.sock');
const cfg = join(dir, 'config');
let server: Server;
let failNext = 0;

const now = Math.floor(Date.now() / 1000);
const twoYears = now - 2 * 366 * 24 * 3600;
const containers = [
  {
    Id: '3f4e5d6c7b8a99887766554433221100ffeeddccbbaa00112233445566778899', Names: ['/web-1'], Image: 'busybox', ImageID: 'sha256:' + 'ab'.repeat(32),
    Command: 'sh -c \'while true; do sleep 1; done\'', Created: twoYears, Ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }, { PrivatePort: 53, Type: 'udp' }],
    Labels: { 'com.example.a': '1', b: 'two' }, State: 'running', Status: 'Up 2 years', HostConfig: { NetworkMode: 'bridge' },
    NetworkSettings: { Networks: { bridge: { IPAddress: '172.17.0.2' } } }, Mounts: [{ Type: 'volume', Name: 'data', Source: '/var/lib/docker/volumes/data/_data', Destination: '/data', RW: true }],
    SizeRw: 12, SizeRootFs: 4400000,
  },
  {
    Id: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', Names: ['/db'], Image: 'sha256:' + 'cd'.repeat(32), ImageID: 'sha256:' + 'cd'.repeat(32),
    Command: 'true', Created: twoYears - 100, Ports: [], Labels: {}, State: 'exited', Status: 'Exited (3) 2 years ago', HostConfig: { NetworkMode: 'none' },
    NetworkSettings: { Networks: {} }, Mounts: [],
  },
];
const images = [
  { Id: 'sha256:' + 'ab'.repeat(32), ParentId: '', RepoTags: ['localhost:5000/x/busybox:latest', 'localhost:5000/x/busybox:1'] /* one repository: docker ranges over a map of repositories (random order) */, RepoDigests: ['busybox@sha256:' + 'ef'.repeat(32)], Created: twoYears, Size: 4261550, SharedSize: -1, VirtualSize: 4261550, Labels: null, Containers: -1 },
  { Id: 'sha256:' + 'cd'.repeat(32), ParentId: 'sha256:' + 'ab'.repeat(32), RepoTags: null, RepoDigests: null, Created: twoYears - 5, Size: 1200, SharedSize: -1, VirtualSize: 1200, Labels: { a: 'b' }, Containers: -1 },
];

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('Api-Version', '1.41');
    res.setHeader('Content-Type', 'application/json');
    if (url.pathname === '/_ping') {
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.end(req.method === 'HEAD' ? undefined : 'OK');
      return;
    }
    if (failNext > 0 && !url.pathname.endsWith('/version')) {
      failNext--;
      res.statusCode = 500;
      res.end(JSON.stringify({ message: 'the fake engine fails on purpose' }) + '\n');
      return;
    }
    if (/^\/v1\.\d+\/containers\/json$/.test(url.pathname)) {
      const all = url.searchParams.get('all') === '1';
      const list = (all ? containers : containers.filter((c) => c.State === 'running')).map((c) => {
        if (url.searchParams.get('size') === '1') return c;
        const { SizeRw: _a, SizeRootFs: _b, ...rest } = c;
        return rest;
      });
      res.end(JSON.stringify(list) + '\n');
      return;
    }
    if (/^\/v1\.\d+\/images\/json$/.test(url.pathname)) {
      res.end(JSON.stringify(images) + '\n');
      return;
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ message: 'page not found' }) + '\n');
  });
  await new Promise<void>((resolve) => server.listen(sock, resolve));
  mkdirSync(cfg);
});

after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

const base = (extra: Record<string, string | undefined> = {}): RunOptions['env'] => ({
  DOCKER_HOST: `unix://${sock}`, DOCKER_CONFIG: cfg, DOCKER_CONTEXT: undefined, DOCKER_API_VERSION: undefined, TZ: 'UTC', ...extra,
});

async function three(args: string[], env = base()): Promise<{ fast: RunResult; full: RunResult; ref: RunResult }> {
  const fast = await tdocker(args, { env: { ...env, TDOCKER_FAST: 'require' } });
  const full = await tdocker(args, { env: { ...env, TDOCKER_FAST: 'off' } });
  const ref = await docker(args, { env });
  return { fast, full, ref };
}

const same = (a: RunResult, b: RunResult, what: string): void => {
  assert.deepEqual({ code: a.code, stdout: asDocker(a.stdout), stderr: asDocker(a.stderr) }, { code: b.code, stdout: asDocker(b.stdout), stderr: asDocker(b.stderr) }, what);
};

const listings: string[][] = [
  ['ps'], ['ps', '-a'], ['ps', '-aq'], ['ps', '-qa'], ['ps', '-q'], ['ps', '--all', '--no-trunc'], ['ps', '-as'], ['ps', '-a', '--size'],
  ['ps', '-a', '--format', '{{.Names}}\t{{.Ports}}\t{{.Labels}}'], ['ps', '-a', '--format={{json .}}'], ['ps', '-a', '--format', 'table {{.ID}}\t{{.Mounts}}\t{{.Size}}'],
  ['ps', '-a', '--format', 'json'], ['ps', '-a', '-q', '--format', '{{.Names}}'], ['container', 'ls', '-a'], ['container', 'ps'], ['container', 'list', '-a', '--no-trunc'],
  ['images'], ['images', '-a'], ['images', '-q'], ['images', '-aq'], ['images', '--no-trunc'], ['images', '--format', '{{.Repository}}:{{.Tag}} {{.Size}}'],
  ['images', '--format=json'], ['image', 'ls'], ['image', 'list', '-a', '--format', 'table {{.ID}}\t{{.CreatedSince}}'],
];

test('fast path: listings are the full path\'s bytes and docker\'s', async () => {
  for (const args of listings) {
    const { fast, full, ref } = await three(args);
    assert.equal(fast.code, 0, `${args.join(' ')}: ${fast.stderr}`);
    same(fast, full, `fast vs full: ${args.join(' ')}`);
    same(fast, ref, `fast vs docker: ${args.join(' ')}`);
  }
});

test('fast path: psFormat and imagesFormat of config.json, DOCKER_CONFIG, contexts', async () => {
  const c2 = join(dir, 'config2');
  mkdirSync(c2, { recursive: true });
  writeFileSync(join(c2, 'config.json'), JSON.stringify({ psFormat: 'table {{.Names}}\t{{.Status}}', imagesFormat: '{{.ID}} {{.Tag}}' }));
  for (const args of [['ps', '-a'], ['ps', '-q'], ['images'], ['images', '-q'], ['ps', '--format', '{{.ID}}']]) {
    const { fast, full, ref } = await three(args, base({ DOCKER_CONFIG: c2 }));
    assert.equal(fast.code, 0, `${args.join(' ')}: ${fast.stderr}`);
    same(fast, full, `config psFormat, fast vs full: ${args.join(' ')}`);
    same(fast, ref, `config psFormat, fast vs docker: ${args.join(' ')}`);
  }
  // a context made by docker, chosen by DOCKER_CONTEXT and then by config.json's currentContext
  const c3 = join(dir, 'config3');
  mkdirSync(c3, { recursive: true });
  const made = await docker(['context', 'create', 'fakeengine', '--docker', `host=unix://${sock}`], { env: base({ DOCKER_CONFIG: c3, DOCKER_HOST: undefined }) });
  assert.equal(made.code, 0, made.stderr);
  for (const env of [base({ DOCKER_CONFIG: c3, DOCKER_HOST: undefined, DOCKER_CONTEXT: 'fakeengine' }), base({ DOCKER_CONFIG: c3, DOCKER_HOST: undefined })]) {
    if (!env!.DOCKER_CONTEXT) writeFileSync(join(c3, 'config.json'), JSON.stringify({ currentContext: 'fakeengine' }));
    const { fast, full, ref } = await three(['ps', '-a'], env);
    assert.equal(fast.code, 0, fast.stderr);
    same(fast, full, 'context: fast vs full');
    same(fast, ref, 'context: fast vs docker');
  }
  // a context that does not exist: the full path's error (the fast path declines)
  const { fast, full, ref } = await three(['ps'], base({ DOCKER_CONFIG: c3, DOCKER_HOST: undefined, DOCKER_CONTEXT: 'nosuchcontext' }));
  assert.equal(fast.code, 99);
  same((await tdocker(['ps'], { env: base({ DOCKER_CONFIG: c3, DOCKER_HOST: undefined, DOCKER_CONTEXT: 'nosuchcontext' }) })), full, 'unknown context: default vs full');
  same(full, ref, 'unknown context: full vs docker');
});

test('fast path: the root help, under the name it is called by and with the config directory in the defaults', async () => {
  for (const args of [['--help'], ['help'], []]) {
    for (const env of [base(), base({ DOCKER_CONFIG: join(dir, 'a-much-longer-configuration-directory-name-than-usual') }), base({ DOCKER_CONFIG: undefined, HOME: '/nonexistent/home' })]) {
      const fast = await tdocker(args, { env: { ...env, TDOCKER_FAST: 'require' } });
      const full = await tdocker(args, { env: { ...env, TDOCKER_FAST: 'off' } });
      assert.equal(fast.code, 0, fast.stderr);
      assert.deepEqual(fast, full, `help ${args.join(' ')}`);
    }
  }
});

test('fast path: what it declines is printed by the full path', async () => {
  // [args, env]: a flag outside its scope, a global option, a pinned API version, a TCP host, an
  // unusable config.json, an engine that fails, an engine that is not there, a bad template
  const badCfg = join(dir, 'badcfg');
  mkdirSync(badCfg, { recursive: true });
  writeFileSync(join(badCfg, 'config.json'), '{"psFormat": ');
  const cases: [string[], RunOptions['env'], number][] = [
    [['ps', '--filter', 'status=exited'], base(), 0],
    [['ps', '-n', '1'], base(), 0],
    [['-D', 'ps'], base(), 0],
    [['ps', 'extra'], base(), 1],
    [['ps', '-a'], base({ DOCKER_API_VERSION: '1.40' }), 0],
    [['ps'], base({ DOCKER_HOST: 'tcp://127.0.0.1:1' }), 1],
    [['ps', '-a'], base({ DOCKER_CONFIG: badCfg }), 0],
    [['ps'], base({ DOCKER_HOST: `unix://${join(dir, 'nothing.sock')}` }), 1],
    [['ps', '--format', '{{.Nope}}'], base(), 1],
    [['images', 'busybox'], base(), 0],
    [['--help', 'ps'], base(), 0],
  ];
  for (const [args, env, status] of cases) {
    const fast = await tdocker(args, { env: { ...env, TDOCKER_FAST: 'require' } });
    if (fast.code !== 99) assert.ok(args[0] === '-D' || args[1] === 'ps', `${args.join(' ')}: not declined (${fast.code})`);
    const ours = await tdocker(args, { env });
    const full = await tdocker(args, { env: { ...env, TDOCKER_FAST: 'off' } });
    assert.equal(full.code === 0 ? 0 : 1, status === 0 ? 0 : 1, `${args.join(' ')}: ${full.stderr}`);
    same(ours, full, `declined, default vs full: ${args.join(' ')}`);
  }
  // an engine answering 500: declined, and the full path prints docker's error
  failNext = 1;
  const fast = await tdocker(['ps'], { env: { ...base(), TDOCKER_FAST: 'require' } });
  assert.equal(fast.code, 99, fast.stderr);
  failNext = 2;
  const ours = await tdocker(['ps'], { env: base() });
  failNext = 1;
  const ref = await docker(['ps'], { env: base() });
  failNext = 0;
  same(ours, ref, 'engine error: ours vs docker');
});

test('fast path: a CLI plugin in the config directory sends the root help to the full path', async () => {
  const pc = join(dir, 'plugcfg');
  mkdirSync(join(pc, 'cli-plugins'), { recursive: true });
  const plugin = join(pc, 'cli-plugins', 'docker-hello');
  writeFileSync(plugin, '#!/bin/sh\nif [ "$1" = docker-cli-plugin-metadata ]; then echo \'{"SchemaVersion":"0.1.0","Vendor":"test","ShortDescription":"Say hello"}\'; exit 0; fi\necho hello\n');
  chmodSync(plugin, 0o755);
  const env = base({ DOCKER_CONFIG: pc });
  const fast = await tdocker(['--help'], { env: { ...env, TDOCKER_FAST: 'require' } });
  assert.equal(fast.code, 99);
  const ours = await tdocker(['--help'], { env });
  assert.match(ours.stdout, /hello\*\s+Say hello/);
  same(ours, await tdocker(['--help'], { env: { ...env, TDOCKER_FAST: 'off' } }), 'plugin help: default vs full');
});
