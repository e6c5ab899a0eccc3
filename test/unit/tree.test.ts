import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from '../helpers/inprocess.js';
import { FakeEngine, type Exchange } from '../helpers/fake-engine.js';
import { buildTree, type DockerCommand } from '../../src/cli/command.js';
import { commonOrder, groups, topLevel } from '../../src/commands/index.js';

/** A stand-in engine on a unix socket: records each request, answers create, 404s the rest. */
async function standIn(fn: (sock: string, seen: { method: string; url: string; body: string }[]) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tree-'));
  const sock = join(dir, 'engine.sock');
  const seen: { method: string; url: string; body: string }[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body });
      res.setHeader('Api-Version', '1.41');
      if (req.url?.endsWith('/_ping')) return void res.end('OK');
      if (/\/containers\/json/.test(req.url ?? '')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        return void res.end('[]');
      }
      if (req.method === 'POST' && /\/containers\/create/.test(req.url ?? '')) {
        res.writeHead(201, { 'Content-Type': 'application/json' });
        return void res.end('{"Id":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","Warnings":[]}');
      }
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: `No such object: ${decodeURIComponent((req.url ?? '').split('/')[3] ?? '')}` }));
    });
  });
  await new Promise<void>((r) => server.listen(sock, r));
  try {
    await fn(`unix://${sock}`, seen);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
}

test('create: a -- after the image is part of the command (docker: Cmd ["echo","--","hi"])', async () => {
  await standIn(async (host, seen) => {
    const r = await runMain(['-H', host, 'create', 'busybox', 'echo', '--', 'hi']);
    assert.equal(r.err, '');
    assert.equal(r.code, 0);
    const create = seen.find((s) => s.method === 'POST' && s.url.includes('/containers/create'));
    assert.ok(create);
    assert.deepEqual(JSON.parse(create.body).Cmd, ['echo', '--', 'hi']);
  });
});

test('ps -- -a: -a is an argument, and ps accepts none', async () => {
  const r = await runMain(['ps', '--', '-a']);
  assert.equal(r.code, 1);
  assert.equal(r.err, "tdocker: 'tdocker ps' accepts no arguments\n\nUsage:  tdocker ps [OPTIONS]\n\nRun 'tdocker ps --help' for more information\n");
});

test('inspect -- --help inspects an object named --help', async () => {
  await standIn(async (host, seen) => {
    const r = await runMain(['-H', host, 'inspect', '--', '--help']);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.out, /Usage:/);
    assert.equal(r.err, 'Error: No such object: --help\n');
    assert.ok(seen.some((s) => s.url.includes('/--help/')));
  });
});

test('groups: no verb prints the help, a flag is refused, an unknown verb is docker\'s error', async () => {
  let r = await runMain(['container']);
  assert.equal(r.code, 0);
  assert.match(r.out, /^Usage: {2}tdocker container COMMAND\n\nManage containers\n/);
  r = await runMain(['container', '-x']);
  assert.equal(r.code, 125);
  assert.equal(r.err, "unknown shorthand flag: 'x' in -x\n\nUsage:  tdocker container\n\nRun 'tdocker container --help' for more information\n");
  r = await runMain(['volume', 'nosuch']);
  assert.equal(r.code, 1);
  assert.equal(r.err, "tdocker: unknown command: tdocker volume nosuch\n\nUsage:  tdocker volume\n\nRun 'tdocker volume --help' for more information\n");
});

// ---- bugs of issue 14, each failing before its fix

test('ps -l -n 3 asks for 3 containers (-l is -n 1 only when -n is not given)', async () => {
  await standIn(async (host, seen) => {
    assert.equal((await runMain(['-H', host, 'ps', '-l', '-n', '3'])).code, 0);
    assert.equal((await runMain(['-H', host, 'ps', '-l'])).code, 0);
    const lists = seen.filter((s) => s.url.includes('/containers/json')).map((s) => new URL(s.url, 'http://x').searchParams.get('limit'));
    assert.deepEqual(lists, ['3', '1']);
  });
});

test('ps --size=false does not ask for sizes even when the format shows them', async () => {
  await standIn(async (host, seen) => {
    assert.equal((await runMain(['-H', host, 'ps', '--size=false', '--format', '{{.Size}}'])).code, 0);
    assert.equal((await runMain(['-H', host, 'ps', '--format', '{{.Size}}'])).code, 0);
    const sizes = seen.filter((s) => s.url.includes('/containers/json')).map((s) => new URL(s.url, 'http://x').searchParams.get('size'));
    assert.deepEqual(sizes, [null, '1']);
  });
});

test('create --ulimit bogus=1 is refused while parsing flags (exit 125)', async () => {
  const r = await runMain(['create', '--ulimit', 'bogus=1', 'busybox']);
  assert.equal(r.code, 125);
  assert.equal(r.err, 'invalid argument "bogus=1" for "--ulimit" flag: invalid ulimit type: bogus\n\nUsage:  tdocker create [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun \'tdocker create --help\' for more information\n');
});

test('inspect --format with a bad template: docker\'s parse error, exit 64, nothing asked of the engine', async () => {
  await standIn(async (host, seen) => {
    for (const cmd of [['inspect'], ['container', 'inspect'], ['volume', 'inspect']]) {
      const r = await runMain(['-H', host, ...cmd, '--format', '{{.Foo', 'x']);
      assert.equal(r.code, 64);
      assert.equal(r.err, 'template parsing error: template: :1: unclosed action\n');
    }
    assert.deepEqual(seen.filter((s) => !s.url.endsWith('/_ping')), []);
  });
});

test('a name with // is asked for as docker\'s client cleans it (top unix:///x: container unix:/x), no stack trace', async () => {
  await standIn(async (host, seen) => {
    const r = await runMain(['-H', host, 'top', 'unix:///x']);
    assert.equal(r.code, 1);
    assert.doesNotMatch(r.err, /TypeError|at /);
    assert.ok(seen.some((s) => s.url.endsWith('/containers/unix:/x/top')), JSON.stringify(seen));
  });
});

test('the root help lists login and logout with docker\'s one-line descriptions', async () => {
  const r = await runMain(['--help']);
  assert.match(r.out, /\n {2}login {7}Authenticate to a registry\n {2}logout {6}Log out from a registry\n/);
  const l = await runMain(['login', '--help']);
  assert.match(l.out, /\n\nAuthenticate to a registry\.\nDefaults to Docker Hub if no server is specified\.\n/);
});

test("every --filter of docker's FilterOpt type checks its value as the flag is parsed (one rule in dockerSpec, no verb repeats it)", async () => {
  const root = buildTree('tdocker', groups, topLevel, commonOrder);
  const leaves = (n: DockerCommand, path: string[] = []): { path: string[]; node: DockerCommand }[] =>
    n.children.flatMap((c) => (c.isGroup ? leaves(c, [...path, c.name()]) : [{ path: [...path, c.name()], node: c }]));
  const withFilter = leaves(root).filter((l) => l.node.spec?.flags?.some((f) => f.name === 'filter' && f.typeName === 'filter'));
  // docker 28 has 21 such verbs (container ls ... stack services), some also at top level (ps, images, search, events)
  assert.ok(withFilter.length >= 21, `${withFilter.length} verbs`);
  for (const { path, node } of withFilter) {
    const r = await runMain(['-H', 'unix:///nonexistent/engine.sock', ...path, '--filter', 'nokey']);
    assert.equal(r.code, 125, path.join(' '));
    const short = node.spec?.flags?.find((f) => f.name === 'filter')?.short;
    assert.equal(r.err.split('\n')[0], `invalid argument "nokey" for "${short ? `-${short}, ` : ''}--filter" flag: bad format of filter (expected name=value)`, path.join(' '));
    assert.match(r.err, new RegExp(`Usage:  tdocker ${path.join(' ')}[ \\n]`), node.name());
  }
});

test('node promote/demote: the role changed through one update at the node\'s version, or docker\'s note when it has it', async () => {
  const node = (id: string, role: string): Exchange => ({
    key: `GET /nodes/${id}?`, status: 200, headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ID: `${id}-id`, Version: { Index: 7 }, Spec: { Role: role, Availability: 'active' } }),
  });
  const exchanges: Exchange[] = [
    { key: 'HEAD /_ping?', status: 200, headers: { 'api-version': '1.41' }, body: '' },
    { key: 'GET /_ping?', status: 200, headers: { 'api-version': '1.41' }, body: 'OK' },
    node('w1', 'worker'), node('m1', 'manager'),
    { key: 'POST /nodes/w1-id/update?version=7', status: 200, headers: {}, body: '' },
    { key: 'POST /nodes/m1-id/update?version=7', status: 200, headers: {}, body: '' },
    { key: 'GET /nodes/nosuch?', status: 404, headers: { 'content-type': 'application/json' }, body: '{"message":"node nosuch not found"}' },
  ];
  const run = async (argv: string[]): Promise<{ out: string; err: string; code: number; requests: string[] }> => {
    let fake: FakeEngine | undefined;
    const r = await runMain(['-H', 'unix:///nonexistent/engine.sock', ...argv], {}, '/', async (endpoint) => (fake = new FakeEngine(exchanges, endpoint)));
    return { ...r, requests: fake?.requests ?? [] };
  };
  const p = await run(['node', 'promote', 'w1', 'm1']);
  assert.equal(p.out, 'Node w1 promoted to a manager in the swarm.\nNode m1-id is already a manager.\n');
  assert.equal(p.code, 0, p.err);
  assert.equal(p.requests.filter((x) => x.startsWith('POST')).length, 1, p.requests.join(' | '));
  const d = await run(['node', 'demote', 'm1', 'w1']);
  assert.equal(d.out, 'Manager m1 demoted in the swarm.\nNode w1-id is already a worker.\n');
  assert.equal(d.code, 0, d.err);
  const missing = await run(['node', 'demote', 'nosuch']);
  assert.equal(missing.code, 1);
  assert.equal(missing.err, 'Error response from daemon: node nosuch not found\n');
});
