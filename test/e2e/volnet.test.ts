import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, sameAsDocker, tdocker, uniqueName } from '../helpers/run.js';

const containers: string[] = [];
const volumes: string[] = [];
const networks: string[] = [];
after(async () => {
  if (containers.length) await docker(['rm', '-f', ...containers]);
  if (volumes.length) await docker(['volume', 'rm', '-f', ...volumes]);
  if (networks.length) await docker(['network', 'rm', ...networks]);
});

test('volumes: create, ls, inspect, use, read-only, rm while in use, rm, prune by label', async () => {
  const v = uniqueName('vol');
  volumes.push(v);
  assert.equal((await tdocker(['volume', 'create', '--label', 'purpose=test', v])).stdout, `${v}\n`);
  await sameAsDocker(['volume', 'ls', '--filter', `name=${v}`]);
  await sameAsDocker(['volume', 'ls', '-q', '--filter', `name=${v}`]);
  await sameAsDocker(['volume', 'ls', '--filter', `name=${v}`, '--format', 'json']);
  await sameAsDocker(['volume', 'inspect', v]);
  await sameAsDocker(['volume', 'inspect', '--format', '{{.Name}} {{.Driver}} {{.Mountpoint}} {{.Labels}}', v]);
  assert.equal((await tdocker(['run', '--rm', '-v', `${v}:/data`, 'busybox', 'sh', '-c', 'echo persisted > /data/f'])).code, 0);
  assert.equal((await tdocker(['run', '--rm', '-v', `${v}:/data:ro`, 'busybox', 'cat', '/data/f'])).stdout, 'persisted\n');
  await sameAsDocker(['run', '--rm', '-v', `${v}:/data:ro`, 'busybox', 'touch', '/data/g']);
  assert.equal((await tdocker(['run', '--rm', '--mount', `type=volume,source=${v},target=/mnt`, 'busybox', 'cat', '/mnt/f'])).stdout, 'persisted\n');
  const user = uniqueName('voluser');
  containers.push(user);
  await docker(['run', '-d', '--name', user, '-v', `${v}:/d`, 'busybox', 'sleep', '300']);
  const inUse = await tdocker(['volume', 'rm', v]);
  assert.equal(inUse.code, 1);
  assert.match(inUse.stderr, /^Error response from daemon: remove .*: volume is in use - \[[0-9a-f]{64}\]\n$/);
  await docker(['rm', '-f', user]);
  assert.equal((await tdocker(['volume', 'rm', v])).stdout, `${v}\n`);
  await sameAsDocker(['volume', 'rm', 'nosuchvol-td']);
  await sameAsDocker(['volume', 'create', 'bad/name']);
  const label = uniqueName('vlabel');
  const p = uniqueName('volp');
  volumes.push(p);
  await docker(['volume', 'create', '--label', label, p]);
  const pr = await tdocker(['volume', 'prune', '-f', '--filter', `label=${label}`]);
  assert.match(pr.stdout, new RegExp(`^Deleted Volumes:\\n${p}\\n\\nTotal reclaimed space: 0B\\n$`));
});

test('bind mounts, read-only binds', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tdbind-'));
  assert.equal((await tdocker(['run', '--rm', '-v', `${dir}:/host`, 'busybox', 'sh', '-c', 'echo from-container > /host/out.txt'])).code, 0);
  assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), 'from-container\n');
  assert.equal((await tdocker(['run', '--rm', '--mount', `type=bind,source=${dir},target=/h,readonly`, 'busybox', 'cat', '/h/out.txt'])).stdout, 'from-container\n');
});

test('networks: create, ls, inspect; containers reach each other by name; connect, disconnect, rm', async () => {
  const n = uniqueName('net');
  networks.push(n);
  const cr = await tdocker(['network', 'create', '--driver', 'bridge', '--subnet', '10.123.77.0/24', '--label', 'k=v', n]);
  assert.match(cr.stdout, /^[0-9a-f]{64}\n$/);
  await sameAsDocker(['network', 'ls', '--filter', `name=${n}`]);
  await sameAsDocker(['network', 'ls', '--filter', `name=${n}`, '--format', '{{.Name}} {{.Driver}} {{.Scope}} {{.Labels}}']);
  await sameAsDocker(['network', 'inspect', '--format', '{{range .IPAM.Config}}{{.Subnet}}{{end}} {{.Driver}}', n]);
  const srv = uniqueName('srv');
  containers.push(srv);
  assert.equal((await tdocker(['run', '-d', '--name', srv, '--network', n, '--network-alias', 'web', 'busybox', 'httpd', '-f', '-p', '80', '-h', '/etc'])).code, 0);
  const byName = await tdocker(['run', '--rm', '--network', n, 'busybox', 'wget', '-q', '-O', '/dev/null', `http://${srv}/passwd`]);
  assert.equal(byName.code, 0, byName.stderr);
  const byAlias = await tdocker(['run', '--rm', '--net', n, 'busybox', 'wget', '-q', '-O', '/dev/null', 'http://web/group']);
  assert.equal(byAlias.code, 0, byAlias.stderr);
  const other = uniqueName('other');
  containers.push(other);
  await docker(['run', '-d', '--name', other, 'busybox', 'sleep', '300']);
  assert.equal((await tdocker(['network', 'connect', '--alias', 'oth', n, other])).code, 0);
  assert.equal((await docker(['inspect', '--format', '{{len .NetworkSettings.Networks}}', other])).stdout, '2\n');
  assert.equal((await tdocker(['network', 'disconnect', n, other])).code, 0);
  const busy = await tdocker(['network', 'rm', n]);
  assert.equal(busy.code, 1);
  await docker(['rm', '-f', srv]);
  assert.equal((await tdocker(['network', 'rm', n])).stdout, `${n}\n`);
  await sameAsDocker(['network', 'rm', 'nosuchnet-td']);
  await sameAsDocker(['network', 'create', '--subnet', '300.0.0.0/8', uniqueName('badnet')]);
  const label = uniqueName('nlabel');
  const p = uniqueName('netp');
  networks.push(p);
  await docker(['network', 'create', '--label', label, p]);
  assert.equal((await tdocker(['network', 'prune', '-f', '--filter', `label=${label}`])).stdout, `Deleted Networks:\n${p}\n\n`);
});
