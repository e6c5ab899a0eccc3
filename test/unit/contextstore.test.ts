import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportArchive, importArchive } from '../../src/cli/contextarchive.js';
import { goJSON, metaJSON, naturalCompare, parseMeta, validateContextName } from '../../src/cli/contextstore.js';

test('meta.json is written as Go marshals store.Metadata', () => {
  assert.equal(metaJSON({ Name: 'a', Metadata: {}, Endpoints: { docker: { Host: 'unix:///x', SkipTLSVerify: false } } }),
    '{"Name":"a","Metadata":{},"Endpoints":{"docker":{"Host":"unix:///x","SkipTLSVerify":false}}}');
  assert.equal(metaJSON({ Name: 'b', Metadata: { Description: 'd<' }, Endpoints: { docker: { SkipTLSVerify: true } } }),
    '{"Name":"b","Metadata":{"Description":"d\\u003c"},"Endpoints":{"docker":{"SkipTLSVerify":true}}}');
  assert.equal(goJSON({ b: 1, a: '&' }), '{"a":"\\u0026","b":1}');
  // field names match without regard to case, as encoding/json does
  assert.deepEqual(parseMeta('{"name":"c","endpoints":{"docker":{"host":"tcp://h:1"}}}', 'f').Endpoints.docker, { Host: 'tcp://h:1', SkipTLSVerify: false });
});

test('context names and their order', () => {
  assert.throws(() => validateContextName('default'), /"default" is a reserved context name/);
  assert.throws(() => validateContextName('a'), /is invalid, names are validated against regexp/);
  assert.throws(() => validateContextName(''), /context name cannot be empty/);
  validateContextName('a.b+c_d-e');
  assert.deepEqual(['b10', 'b9', 'B1', 'a'].sort(naturalCompare), ['B1', 'a', 'b9', 'b10']);
});

test('archives: a round trip, and docker\'s own export, which stops after the last file\'s data', () => {
  const meta = { Name: 'x', Metadata: { Description: 'd' }, Endpoints: { docker: { Host: 'tcp://h:1', SkipTLSVerify: false } } };
  const tar = exportArchive(meta, { docker: { 'ca.pem': Buffer.from('CA') } });
  const back = importArchive('yy', tar);
  assert.equal(back.meta.Name, 'yy');
  assert.deepEqual(back.meta.Endpoints, meta.Endpoints);
  assert.equal(back.tls.docker['ca.pem'].toString(), 'CA');
  // cut where docker's archive ends: after the data of the last file, no padding, no end blocks
  const cut = tar.subarray(0, 512 * 5 + 2);
  assert.equal(importArchive('zz', cut).tls.docker['ca.pem'].toString(), 'CA');
  assert.throws(() => importArchive('zz', Buffer.from('\n')), /^Error: unexpected EOF$/);
  assert.throws(() => importArchive('zz', Buffer.alloc(0)), /invalid context: no metadata found/);
  assert.throws(() => importArchive('zz', Buffer.alloc(512, 'x')), /archive\/tar: invalid tar header/);
});

test('the engine hint: only for the default socket, only when another engine\'s socket exists', async () => {
  const { engineHint, candidateSockets } = await import('../../src/cli/hint.js');
  const msg = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';
  const env = { HOME: '/home/u', XDG_RUNTIME_DIR: '/run/user/1000' };
  assert.deepEqual(candidateSockets(env).map((s) => s.path), ['/home/u/.docker/run/docker.sock', '/run/user/1000/docker.sock', '/run/user/1000/podman/podman.sock', '/home/u/.colima/default/docker.sock']);
  const some = (p: string): boolean => p.endsWith('podman.sock') || p.includes('.colima');
  assert.equal(engineHint(msg, 'unix:///var/run/docker.sock', 'tdocker', env, some),
    'Hint: an engine answers elsewhere on this machine (unix:///run/user/1000/podman/podman.sock, unix:///home/u/.colima/default/docker.sock); to use it: tdocker context create podman --docker host=unix:///run/user/1000/podman/podman.sock && tdocker context use podman\n');
  assert.equal(engineHint(msg, 'unix:///var/run/docker.sock', 'tdocker', env, () => false), undefined);
  assert.equal(engineHint('Cannot connect to the Docker daemon at unix:///x.sock. Is the docker daemon running?', 'unix:///x.sock', 'tdocker', env, some), undefined);
});
