/**
 * manifest inspect/create/annotate/push/rm against the 127.0.0.1:5000 registry, docker 28 against
 * tdocker: each client with a config directory of its own (so each has its own local manifest store),
 * the same steps, byte-identical output, and the same files in the store.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, tdocker, uniqueName } from '../helpers/run.js';

const REG = '127.0.0.1:5000';
const work = mkdtempSync(join(tmpdir(), 'tdmanifest-'));
const cfgs = { docker: join(work, 'docker'), tdocker: join(work, 'tdocker') };
const repo = uniqueName('tdman');
const img = `${REG}/${repo}/img`;
const list = `${REG}/${repo}/list:1`;
const local: string[] = [];

before(async () => {
  mkdirSync(cfgs.docker);
  const login = await docker(['login', REG, '-u', process.env.TDOCKER_REG_USER ?? 'testuser', '--password-stdin'], { env: { DOCKER_CONFIG: cfgs.docker }, input: `${process.env.TDOCKER_REG_PASS ?? 'testpassword'}\n` });
  assert.equal(login.code, 0, login.stderr);
  mkdirSync(cfgs.tdocker);
  copyFileSync(join(cfgs.docker, 'config.json'), join(cfgs.tdocker, 'config.json'));
  const env = { DOCKER_CONFIG: cfgs.docker };
  // two images of different content: busybox, and a commit of it with one more file
  const c = uniqueName('tdman-c');
  assert.equal((await docker(['create', '--name', c, 'busybox', 'true'], { env })).code, 0);
  await docker(['cp', '/etc/hostname', `${c}:/marker`], { env });
  assert.equal((await docker(['commit', c, `${img}:2`], { env })).code, 0);
  await docker(['rm', c], { env });
  assert.equal((await docker(['tag', 'busybox', `${img}:1`], { env })).code, 0);
  local.push(`${img}:1`, `${img}:2`);
  for (const t of local) assert.equal((await docker(['push', '-q', t], { env })).code, 0);
});

after(async () => {
  await docker(['rmi', ...local]);
  rmSync(work, { recursive: true, force: true });
});

/** The same command through both clients, each with its own config directory; same bytes and status. */
async function same(args: string[], code?: number): Promise<string> {
  const ref = await docker(args, { env: { DOCKER_CONFIG: cfgs.docker } });
  const ours = await tdocker(args, { env: { DOCKER_CONFIG: cfgs.tdocker } });
  const what = args.join(' ');
  if (code !== undefined) assert.equal(ref.code, code, `${what}: docker: ${ref.stderr}`);
  assert.equal(ours.stdout.replace(/\btdocker\b/g, 'docker'), ref.stdout, what);
  assert.equal(ours.stderr.replace(/\btdocker\b/g, 'docker'), ref.stderr, what);
  assert.equal(ours.code, ref.code, what);
  return ours.stdout;
}

/** Both local manifest stores hold the same files with the same bytes. */
function sameStore(): void {
  const files = (root: string): Record<string, string> => {
    const out: Record<string, string> = {};
    const m = join(root, 'manifests');
    if (!existsSync(m)) return out;
    for (const d of readdirSync(m)) for (const f of readdirSync(join(m, d))) out[`${d}/${f}`] = readFileSync(join(m, d, f), 'utf8');
    return out;
  };
  assert.deepEqual(files(cfgs.tdocker), files(cfgs.docker));
}

test('manifest inspect of an image in the registry: plain, --insecure, -v, errors', async () => {
  await same(['manifest', 'inspect', `${img}:1`], 1);
  const plain = await same(['manifest', 'inspect', '--insecure', `${img}:1`], 0);
  assert.match(plain, /^\{\n\t"schemaVersion": 2,\n\t"mediaType": "application\/vnd\.docker\.distribution\.manifest\.v2\+json",/);
  const v = await same(['manifest', 'inspect', '-v', '--insecure', `${img}:2`], 0);
  assert.match(v, /"platform": \{\n\t\t\t"architecture": "amd64",\n\t\t\t"os": "linux"/);
  await same(['manifest', 'inspect', '--insecure', `${img}:nosuch`], 1);
  await same(['manifest', 'inspect', 'Bad:Ref'], 1);
});

test('manifest create, annotate, inspect (local), push, inspect (remote), rm: docker\'s output and store', async () => {
  await same(['manifest', 'create', list, `${img}:1`], 1);
  await same(['manifest', 'create', '--insecure', list, `${img}:1`, `${img}:2`], 0);
  sameStore();
  await same(['manifest', 'create', '--insecure', list, `${img}:1`], 1);
  await same(['manifest', 'create', '--insecure', '--amend', list, `${img}:1`], 0);
  await same(['manifest', 'annotate', '--arch', 'arm64', '--variant', 'v8', '--os-features', 'f1,f2', '--os-version', '1.0', list, `${img}:2`], 0);
  sameStore();
  await same(['manifest', 'annotate', '--os', 'bogus', list, `${img}:2`], 1);
  await same(['manifest', 'annotate', list, `${img}:9`], 1);
  await same(['manifest', 'annotate', 'Bad:Ref', `${img}:9`], 1);
  const l = await same(['manifest', 'inspect', list], 0);
  assert.match(l, /"mediaType": "application\/vnd\.docker\.distribution\.manifest\.list\.v2\+json"/);
  await same(['manifest', 'inspect', '-v', list], 0);
  await same(['manifest', 'inspect', list, `${img}:2`], 0);
  await same(['manifest', 'inspect', list, `${img}:3`], 1);
  const pushed = await same(['manifest', 'push', list], 0);
  assert.match(pushed, /^Pushed ref 127\.0\.0\.1:5000\/\S+\/list@sha256:[0-9a-f]{64} with digest: sha256:[0-9a-f]{64}\n/);
  await same(['manifest', 'push', '--insecure', '--purge', list], 0);
  sameStore();
  await same(['manifest', 'inspect', '--insecure', list], 0);
  await same(['manifest', 'inspect', '--insecure', '-v', list], 0);
  // a list is no image to put in a list
  await same(['manifest', 'create', '--insecure', `${REG}/${repo}/list2:1`, list], 1);
  await same(['manifest', 'rm', `${REG}/${repo}/list2:1`], 1);
  // the target's registry must be the images'
  await same(['manifest', 'create', '--insecure', `${repo}/other:1`, `${img}:1`], 0);
  await same(['manifest', 'push', `${repo}/other:1`], 1);
  await same(['manifest', 'push', 'nosuch-' + repo], 1);
  await same(['manifest', 'rm', `${repo}/other:1`, 'nosuch-' + repo], 1);
  sameStore();
});

test('manifest help: docker\'s long description and EXPERIMENTAL note; bare `manifest` prints it on stderr', async () => {
  for (const args of [['manifest', '--help'], ['manifest'], ['manifest', 'inspect', '--help'], ['manifest', 'push', '--help'], ['plugin', '--help'], ['plugin', 'install', '--help']]) await same(args, 0);
});
