/**
 * `stack config`, differential against docker 28: docker/cli's own loader and its yaml.v3 output
 * (no engine involved). Files from test/e2e/fixtures/stack-config and a temporary directory.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { both, ROOT } from '../helpers/run.js';

const dir = mkdtempSync(join(tmpdir(), 'tdstackcfg-'));
cpSync(join(ROOT, 'test/e2e/fixtures/stack-config'), dir, { recursive: true });
after(() => rmSync(dir, { recursive: true, force: true }));

async function same(args: string[], input?: string, env: Record<string, string> = {}): Promise<void> {
  const { ref, ours } = await both(['stack', 'config', ...args], { cwd: dir, input, env: { ...process.env, ...env } });
  // logrus' time stamp may differ by a second
  const t = (s: string): string => s.replace(/time="[^"]*"/g, 'time="T"');
  assert.deepEqual({ out: ours.stdout, err: t(ours.stderr), code: ours.code }, { out: ref.stdout, err: t(ref.stderr), code: ref.code }, `${args.join(' ')}\n${input ?? ''}`);
}

function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}

test('stack config: docker/cli e2e full-stack.yml, short syntaxes, deploy, externals, x- extensions', async () => {
  await same(['--compose-file=' + file('full-stack.yml', "version: '3.3'\n\nservices:\n  one:\n    image: registry:5000/alpine:frozen\n    command: top\n  two:\n    image: registry:5000/alpine:frozen\n    command: top\n")]);
  await same(['-c', 'rich.yml'], undefined, { IMG: 'busybox:1' });
  await same(['-c', 'rich.yml', '--skip-interpolation'], undefined, { IMG: 'busybox:1' });
  await same(['-c', 'a.yml', '-c', 'b.yml']);
  await same(['-c', 'a.yml,b.yml']);
  await same(['-c', 'b.yml', '-c', 'a.yml']);
  await same(['-c', '-'], 'services:\n  s:\n    image: "x:${TAG:-latest}"\n    environment: [A, "B=", C=c]\n    volumes: ["~/x:/x", "/data", "v:/v:nocopy", "./r:/r:ro,rshared"]\n    ulimits: {core: 0}\n    stop_grace_period: 90s\n    healthcheck: {test: "curl -f x", timeout: 1500ms}\n    deploy: {mode: global, update_config: {max_failure_ratio: 0.1, monitor: 1m}}\nvolumes: {v: {driver_opts: {o: "1"}}}\n', { HOME: '/home/u' });
  await same(['-c', file('quote.yml', 'version: "3.9"\nservices:\n  s:\n    image: "*a"\n    user: "multi\\nline\\n"\n    hostname: "2001-01-01"\n    cap_add: ["- x", "@at", "null", "~", "1e3", "0755", ".5", "a#b", "a #b", "tab\\there", "yes please", "y", "off", ": x", "x: "]\n    entrypoint: "echo \'a: b\' #comment"\n    secrets: [{source: s, mode: 0440, uid: "0"}]\nsecrets: {s: {file: data}}\n')]);
});

test('stack config: bad input gets docker\'s text and status', async () => {
  await same([]);
  await same(['-c', 'nope.yml']);
  await same(['-c', '/']);
  await same(['-c', file('list.yml', '- a\n')]);
  await same(['-c', file('forbidden.yml', 'services:\n  a:\n    image: x\n    volumes_from: [b]\n    cpuset: "1"\n')]);
  await same(['-c', file('interp.yml', 'services:\n  a:\n    image: "${"\n')]);
  await same(['-c', file('required.yml', 'services:\n  a:\n    image: "x:${TAG:?set a tag}"\n')]);
  await same(['-c', file('cast.yml', 'services:\n  a:\n    image: x\n    deploy: {replicas: "${R}"}\n')], undefined, { R: 'many' });
  await same(['-c', 'a.yml', '-c', file('v31.yml', 'version: "3.1"\nservices: {}\n')]);
  await same(['-c', file('v2.yml', 'version: "2"\nservices: {}\n')]);
  await same(['-c', file('unknown.yml', 'services:\n  a:\n    image: x\n    foo: 1\n')]);
  await same(['-c', file('unknown-deploy.yml', 'services:\n  a: {image: x, deploy: {zap: 1}}\n')]);
  await same(['-c', file('old-configs.yml', 'version: "3.0"\nservices:\n  a: {image: x, configs: [a]}\n')]);
  await same(['-c', file('dup.yml', 'services:\n  a:\n    image: x\n  a:\n    image: y\n')]);
  await same(['-c', file('extname.yml', 'version: "3.8"\nservices: {}\nnetworks:\n  n:\n    name: a\n    external: {name: b}\n')]);
});
