/**
 * Bad and huge input, differential with docker: config.json empty, invalid, not an object, a directory
 * or unreadable (a warning and an empty config, as docker); 10,000 -e flags; a 1 MB label
 * file line (refused, as docker) and a 120 KB label; a 128 KB template (one argument holds 128 KB
 * at most), its whole output written before the process ends.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asDocker, docker, DOCKER, runProgram, TDOCKER, tdocker, uniqueName } from '../helpers/run.js';

const dir = mkdtempSync(join(tmpdir(), 'tdcfg-'));
const containers: string[] = [];
after(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (containers.length) await docker(['rm', '-f', '-v', ...containers]);
});

function configDir(name: string, make: (file: string) => void): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  make(join(d, 'config.json'));
  return d;
}

const cases: [string, (f: string) => void][] = [
  ['empty', (f) => writeFileSync(f, '')],
  ['invalid', (f) => writeFileSync(f, '{"auths": ')],
  ['garbage', (f) => writeFileSync(f, '#not json at all')],
  ['an array', (f) => writeFileSync(f, '[1, 2]')],
  ['a directory', (f) => mkdirSync(f)],
];

for (const [what, make] of cases) {
  test(`config.json that is ${what}: docker's warning and status, the command still runs`, async () => {
    const d = configDir(what.replace(/\W/g, '_'), make);
    const args = ['--config', d, 'ps', '-q', '--filter', `label=${uniqueName('none')}`];
    const ref = await docker(args);
    const ours = await tdocker(args);
    assert.equal(ours.code, ref.code);
    assert.equal(asDocker(ours.stderr), ref.stderr);
    assert.equal(ours.stdout, ref.stdout);
  });
}

test('config.json that cannot be read (another user): docker\'s warning', async () => {
  const d = configDir('unreadable', (f) => writeFileSync(f, '{}'));
  chmodSync(dir, 0o755);
  chmodSync(d, 0o755);
  chmodSync(join(d, 'config.json'), 0o600);
  const first = async (prog: string): Promise<string> => {
    const r = await runProgram('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', prog, '--config', d, 'version', '--format', '{{.Client.Version}}']);
    return r.stderr.split('\n')[0];
  };
  const ref = await first(DOCKER);
  assert.match(ref, /^WARNING: Error loading config file: open .*: permission denied$/);
  assert.equal(await first(TDOCKER), ref);
});

test('10,000 -e flags reach the container, as with docker', async () => {
  const args = ['run', '--rm'];
  for (let i = 0; i < 10000; i++) args.push('-e', `V${i}=value-${i}`);
  args.push('busybox', 'sh', '-c', 'env | grep -c "^V[0-9]*=value-"; echo "$V0 $V9999"');
  const ref = await docker(args);
  const ours = await tdocker(args);
  assert.deepEqual({ code: ours.code, out: ours.stdout, err: ours.stderr }, { code: ref.code, out: ref.stdout, err: ref.stderr });
  assert.equal(ours.stdout, '10000\nvalue-0 value-9999\n');
});

test('a 1 MB label: refused from a --label-file as docker refuses it; 120 KB on the command line stored whole', async () => {
  const file = join(dir, 'labels');
  writeFileSync(file, `big=${'L'.repeat(1 << 20)}\n`);
  const ref = await docker(['create', '--label-file', file, 'busybox']);
  const ours = await tdocker(['create', '--label-file', file, 'busybox']);
  if (ref.code === 0) containers.push(ref.stdout.trim());
  if (ours.code === 0) containers.push(ours.stdout.trim());
  assert.deepEqual({ code: ours.code, err: asDocker(ours.stderr) }, { code: ref.code, err: ref.stderr });
  assert.match(ref.stderr, /bufio.Scanner: token too long/);
  const lens: string[] = [];
  for (const run of [docker, tdocker]) {
    const name = uniqueName('biglabel');
    containers.push(name);
    const c = await run(['create', '--name', name, '--label', `big=${'L'.repeat(120 * 1024)}`, 'busybox']);
    assert.equal(c.code, 0, c.stderr);
    lens.push((await docker(['inspect', '-f', '{{len (index .Config.Labels "big")}}', name])).stdout);
  }
  assert.deepEqual(lens, [`${120 * 1024}\n`, `${120 * 1024}\n`]);
});

test('a template as large as one argument can be (128 KB): the same bytes as docker', async () => {
  const tmpl = 'x'.repeat(128 * 1024 - 100) + '{{.Client.Version}} {{json .Client.Os}}';
  const ref = await docker(['version', '--format', tmpl]);
  const ours = await tdocker(['version', '--format', tmpl]);
  assert.equal(ours.code, ref.code);
  assert.equal(ours.stdout.length, ref.stdout.length);
  assert.ok(ours.stdout === ref.stdout, 'outputs differ');
});
