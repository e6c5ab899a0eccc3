/**
 * tcp:// engines through HTTP_PROXY as docker reaches them (Go's proxy rules: HTTP_PROXY for http://
 * URLs, NO_PROXY exceptions, loopback never proxied), and `version` when the server part is missing.
 * The proxy is the test's own on 127.0.0.1, forwarding to the engine socket and noting what it saw.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { both, docker, tdocker, type RunOptions } from '../helpers/run.js';

let server: Server;
let proxy: string;
const seen: string[] = [];

before(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const u = new URL(req.url ?? '/', 'http://x');
    const up = request({ socketPath: '/var/run/docker.sock', path: u.pathname + u.search, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      // a streamed answer (wait, events) starts with its headers
      res.flushHeaders();
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  proxy = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((r) => server.close(() => r())));

async function same(args: string[], env: RunOptions['env']): Promise<string> {
  const { ref, ours } = await both(args, { env: { DOCKER_CONTEXT: undefined, DOCKER_TLS_VERIFY: undefined, HTTPS_PROXY: undefined, NO_PROXY: undefined, ...env } });
  assert.equal(ours.stderr, ref.stderr);
  assert.equal(ours.stdout, ref.stdout);
  assert.equal(ours.code, ref.code);
  return ours.stdout;
}

test('HTTP_PROXY carries tcp:// requests; NO_PROXY and loopback addresses go direct', async () => {
  seen.length = 0;
  const env = { HTTP_PROXY: proxy, DOCKER_HOST: 'tcp://engine.td-remote.invalid:2375' };
  assert.equal(await same(['version', '--format', '{{.Server.Os}}'], env), 'linux\n');
  assert.ok(seen.some((s) => s.startsWith('GET http://engine.td-remote.invalid:2375/v1.')), seen.join('\n'));
  // docker's attach dials the engine itself, not through the proxy: it cannot resolve the name, and
  // the container it created stays (removed here by its name)
  const names = [`proxied-ref-${process.pid}`, `proxied-ours-${process.pid}`];
  try {
    const e = { ...env, DOCKER_CONTEXT: undefined, NO_PROXY: undefined };
    const ref = await docker(['run', '--rm', '--name', names[0], 'busybox', 'echo', 'proxied'], { env: e });
    const ours = await tdocker(['run', '--rm', '--name', names[1], 'busybox', 'echo', 'proxied'], { env: e });
    assert.equal(ours.stderr, ref.stderr);
    assert.equal(ours.code, ref.code);
  } finally {
    await docker(['rm', '-f', ...names]);
  }
  seen.length = 0;
  await same(['ps', '-q', '--filter', 'name=^nosuchname$'], { ...env, NO_PROXY: '.td-remote.invalid' });
  await same(['ps', '-q', '--filter', 'name=^nosuchname$'], { ...env, NO_PROXY: '*' });
  await same(['ps'], { HTTP_PROXY: proxy, DOCKER_HOST: 'tcp://127.0.0.1:1' });
  assert.deepEqual(seen, []);
});

test('version when the engine cannot be reached: the client part, and the format on the missing server prints a blank line', async () => {
  await same(['version', '--format', '{{.Server.Version}}'], { DOCKER_HOST: 'tcp://127.0.0.1:1', HTTP_PROXY: undefined });
  await same(['version', '--format', '{{.Client.Version}} {{.Server.Version}}'], { DOCKER_HOST: 'tcp://127.0.0.1:1', HTTP_PROXY: undefined });
});
