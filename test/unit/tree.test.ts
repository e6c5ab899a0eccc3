import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/main.js';

async function runMain(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await main({ argv, name: 'tdocker', env: { HOME: '/home/x' }, cwd: '/', stdout, stderr, stdin: Readable.from([]) });
  return { code, out, err };
}

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
