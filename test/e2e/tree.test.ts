import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { both, docker, normalize, uniqueName } from '../helpers/run.js';

test('run --env-file nosuch.list: docker\'s error, not node\'s (the launcher keeps node from reading the script\'s arguments)', async () => {
  const { ref, ours } = await both(['run', '--env-file', 'nosuch.list', 'busybox', 'true']);
  assert.equal(ours.stderr, ref.stderr);
  assert.equal(ours.code, ref.code);
  assert.equal(ours.code, 125);
});

/** a config directory of the test's own holding config.json with these contents */
function configDir(config: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'tree-cfg-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

test("ps: the Size text as docker 28 prints it (0B (virtual …)), with and without -s, json and table, sizes asked for when the format (or the config's psFormat) uses .Size", async () => {
  const label = uniqueName('tree-size');
  const cfg = configDir({ psFormat: '{{.Names}} {{.Size}}' });
  try {
    assert.equal((await docker(['create', '--name', `${label}-a`, '-l', label, 'busybox', 'true'])).code, 0);
    assert.equal((await docker(['run', '--name', `${label}-b`, '-l', label, 'busybox', 'sh', '-c', 'echo x > /f'])).code, 0);
    const f = ['-a', '--filter', `label=${label}`];
    const cases: [string[], Record<string, string>?][] = [
      [[...f, '--format', '{{json .}}']], [[...f, '--format', 'json']], [[...f, '-s', '--format', 'json']], [[...f, '-s']], [[...f, '-s', '--format', 'raw']],
      [[...f, '--format', 'table {{.Names}}\t{{.Size}}']], [[...f, '--size=false', '--format', '{{.Names}} {{.Size}}']], [[...f, '--format', '{{.Names}}{{if false}}{{.Size}}{{end}}']],
      [f, { DOCKER_CONFIG: cfg }], [[...f, '-s'], { DOCKER_CONFIG: cfg }], [[...f, '--size=false'], { DOCKER_CONFIG: cfg }],
    ];
    for (const [args, env] of cases) {
      const { ref, ours } = await both(['ps', ...args], { env });
      assert.equal(ref.code, 0, ref.stderr);
      assert.equal(normalize(ours.stdout), normalize(ref.stdout), `ps ${args.join(' ')} ${JSON.stringify(env ?? {})}`);
      assert.equal(ours.stderr, ref.stderr);
      assert.equal(ours.code, ref.code);
    }
    // the case this was about: docker's Size with the virtual size
    const { ref } = await both(['ps', ...f, '--format', '{{.Names}} {{.Size}}']);
    assert.match(ref.stdout, /-b 2B \(virtual [\d.]+[kM]B\)\n/);
  } finally {
    await docker(['rm', '-f', `${label}-a`, `${label}-b`]);
    rmSync(cfg, { recursive: true, force: true });
  }
});

test("ps: the format is checked before any request (no engine: docker's template errors), and the config's psFormat raw with -q", async () => {
  const dead = ['-H', `unix://${join(tmpdir(), uniqueName('nosuch'))}.sock`];
  for (const format of ['{{.Foo}}', '{{.Names', '{{range .Size}}{{end}}', 'table {{.Names}}\t{{.Size}}']) {
    const { ref, ours } = await both([...dead, 'ps', '--format', format]);
    assert.equal(ours.stderr, ref.stderr, format);
    assert.equal(ours.code, ref.code);
  }
  const label = uniqueName('tree-raw');
  const cfg = configDir({ psFormat: 'raw' });
  try {
    assert.equal((await docker(['create', '--name', label, '-l', label, 'busybox', 'true'])).code, 0);
    const { ref, ours } = await both(['ps', '-a', '-q', '--filter', `label=${label}`], { env: { DOCKER_CONFIG: cfg } });
    assert.match(ref.stdout, /^container_id: [0-9a-f]{12}\n$/);
    assert.equal(ours.stdout, ref.stdout);
  } finally {
    await docker(['rm', '-f', label]);
    rmSync(cfg, { recursive: true, force: true });
  }
});

test("events: the plain line's time in the local zone, TZ honoured, as docker 28 prints it", async () => {
  const label = uniqueName('tree-tz');
  const since = String(Math.floor(Date.now() / 1000) - 1);
  assert.equal((await docker(['create', '--name', label, '-l', label, 'busybox', 'true'])).code, 0);
  assert.equal((await docker(['rm', label])).code, 0);
  const until = String(Math.floor(Date.now() / 1000) + 1);
  const zones: [string, RegExp][] = [['Asia/Tokyo', /\+09:00 container create /], ['America/New_York', /-0[45]:00 container create /], ['UTC', /\dZ container create /]];
  for (const [TZ, zone] of zones) {
    const { ref, ours } = await both(['events', '--since', since, '--until', until, '--filter', `label=${label}`], { env: { TZ } });
    assert.match(ref.stdout, zone);
    assert.equal(ours.stdout, ref.stdout, TZ);
    assert.equal(ours.code, ref.code);
  }
});

test('inspect: os.FileMode (a tmpfs mount\'s mode) printed by its String method, %d/%o/%#v and json as numbers', async () => {
  const name = uniqueName('tree-mode');
  try {
    assert.equal((await docker(['create', '--name', name, '--mount', 'type=tmpfs,destination=/t,tmpfs-mode=1770,tmpfs-size=1m', '--mount', 'type=tmpfs,destination=/u', 'busybox', 'true'])).code, 0);
    const format = '{{range .HostConfig.Mounts}}{{.Target}} {{with .TmpfsOptions}}{{.Mode}}|{{.}}|{{printf "%d %o %v %T %#v" .Mode .Mode .Mode .Mode .Mode}}|{{json .}}{{end}}\n{{end}}';
    for (const f of [format, '{{(index .HostConfig.Mounts 0).TmpfsOptions.Mode}}', '{{(index .HostConfig.Mounts 1).TmpfsOptions.Mode}}']) {
      const { ref, ours } = await both(['inspect', '--format', f, name]);
      if (f === format) assert.match(ref.stdout, /^\/t -rwxrwx---\|/);
      assert.equal(ours.stdout, ref.stdout, f);
      assert.equal(ours.stderr, ref.stderr, f);
      assert.equal(ours.code, ref.code);
    }
  } finally {
    await docker(['rm', '-f', name]);
  }
});
