import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildProgress } from '../../src/commands/compose/more.js';
import type { ComposeContext } from '../../src/commands/compose/index.js';

/** Only what buildProgress reads: the environment, stdout's terminal, compose's --ansi and --progress. */
function ctx(o: { env?: Record<string, string>; tty?: boolean; ansi?: string; progress?: string }): ComposeContext {
  return { cli: { env: o.env ?? {}, out: { isTTY: !!o.tty } }, g: { ansi: o.ansi ?? 'auto', progress: o.progress ?? '' } } as unknown as ComposeContext;
}

test('compose build progress as v2 build.go decides it: ui.Mode, then BUILDKIT_PROGRESS for auto, then buildx\'s auto (stdout a terminal)', () => {
  assert.equal(buildProgress(ctx({ tty: true }), false), 'tty');
  assert.equal(buildProgress(ctx({ tty: false }), false), 'plain');
  assert.equal(buildProgress(ctx({ tty: true }), true), 'quiet');
  assert.equal(buildProgress(ctx({ tty: true, progress: 'plain' }), false), 'plain');
  assert.equal(buildProgress(ctx({ tty: false, progress: 'tty' }), false), 'tty');
  assert.equal(buildProgress(ctx({ tty: true, progress: 'json' }), false), 'rawjson');
  assert.equal(buildProgress(ctx({ tty: true, progress: 'none' }), false), 'quiet');
  assert.equal(buildProgress(ctx({ tty: true, env: { COMPOSE_PROGRESS: 'plain' } }), false), 'plain');
  assert.equal(buildProgress(ctx({ tty: true, env: { BUILDKIT_PROGRESS: 'plain' } }), false), 'plain');
  // --progress wins over BUILDKIT_PROGRESS, which only fills in for auto
  assert.equal(buildProgress(ctx({ tty: false, progress: 'tty', env: { BUILDKIT_PROGRESS: 'plain' } }), false), 'tty');
  assert.equal(buildProgress(ctx({ tty: true, ansi: 'never' }), false), 'plain');
  assert.equal(buildProgress(ctx({ tty: false, ansi: 'always' }), false), 'tty');
  assert.equal(buildProgress(ctx({ tty: true, env: { COMPOSE_ANSI: 'never' } }), false), 'plain');
  // NO_COLOR drops colours, not the live view (v2 leaves ui.Mode alone)
  assert.equal(buildProgress(ctx({ tty: true, env: { NO_COLOR: '1' } }), false), 'tty');
});
