/**
 * Flags docker 28 has for newer engines than the test engine (API 1.41 here): hidden from the help as
 * docker hides them, refused with docker's "requires API version" error (before the arguments are
 * checked, all such flags at once), and the root help's command list, docker 28 against tdocker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { both } from '../helpers/run.js';
import { versionLess } from '../../src/cli/apiflags.js';

const cases = [
  ['images', '--tree'], ['image', 'ls', '--tree', '-a'], ['images', '--tree', 'a', 'b'],
  ['create', '--annotation', 'a=b', 'busybox'], ['run', '--annotation', 'a=b', '--health-start-interval', '2s', 'busybox'],
  ['history', '--platform', 'linux/amd64', 'busybox'], ['image', 'inspect', '--platform', 'linux/amd64', 'busybox'],
  ['load', '--platform', 'linux/amd64', '-i', '/dev/null'], ['push', '--platform', 'linux/amd64', 'busybox'],
  ['rmi', '--platform', 'linux/amd64', 'nosuch-image-td'], ['save', '--platform', 'linux/amd64', '-o', '/dev/null', 'busybox'],
  ['volume', 'create', '--group', 'x', '--scope', 'single'], ['volume', 'ls', '--cluster'],
  ['service', 'create', '--oom-score-adj', '5', 'busybox'], ['service', 'update', '--health-start-interval', '1s', 'x'],
];

test('flags the engine\'s API version rules out: docker\'s error and status', async (t) => {
  const { ref: v } = await both(['version', '--format', '{{.Server.APIVersion}}']);
  if (!versionLess(v.stdout.trim(), '1.42')) return t.skip(`engine API ${v.stdout.trim()} supports these flags`);
  for (const args of cases) {
    const { ref, ours } = await both(args);
    assert.match(ref.stderr, /requires API version 1\.\d+, but the Docker daemon API version is/, args.join(' '));
    assert.equal(ours.stderr, ref.stderr, args.join(' '));
    assert.equal(ours.stdout, ref.stdout, args.join(' '));
    assert.equal(ours.code, ref.code, args.join(' '));
  }
});

test('the help hides them, as docker does for this engine', async () => {
  for (const args of [['images', '--help'], ['volume', 'create', '--help'], ['service', 'create', '--help'], ['run', '--help']]) {
    const { ref, ours } = await both(args);
    assert.equal(ours.stdout, ref.stdout, args.join(' '));
  }
});

test('root help: docker\'s sections and order; the only differences are compose (ours) and trust (not implemented)', async () => {
  const { ref, ours } = await both(['--help']);
  const lines = (s: string): string[] => s.split('\n').filter((l) => !/^ {2}(compose|trust|buildx\*|compose\*) /.test(l));
  assert.deepEqual(lines(ours.stdout), lines(ref.stdout));
  assert.match(ours.stdout, /\n {2}manifest +Manage Docker image manifests and manifest lists\n/);
  assert.match(ours.stdout, /\n {2}plugin +Manage plugins\n/);
  assert.match(ours.stdout, /\n {2}builder +Manage builds\n/);
  assert.doesNotMatch(ours.stdout, /\n {2}trust /);
});

test('completion offers what docker\'s does: gated flags (in name order), plugin and manifest verbs, first lines of multi-line usages', async () => {
  for (const words of [['images', '--t'], ['volume', 'create', '--'], ['volume', 'ls', '--'], ['history', '--'], ['plugin', ''], ['manifest', ''], ['plugin', 'ls', '--'], ['manifest', 'inspect', '--'], ['exec', '--']]) {
    const { ref, ours } = await both(['__complete', ...words]);
    assert.equal(ours.stdout, ref.stdout, words.join(' '));
    assert.equal(ours.stderr, ref.stderr, words.join(' '));
  }
});
