import { test } from 'node:test';
import assert from 'node:assert/strict';
import { both } from '../helpers/run.js';

test('run --env-file nosuch.list: docker\'s error, not node\'s (the launcher keeps node from reading the script\'s arguments)', async () => {
  const { ref, ours } = await both(['run', '--env-file', 'nosuch.list', 'busybox', 'true']);
  assert.equal(ours.stderr, ref.stderr);
  assert.equal(ours.code, ref.code);
  assert.equal(ours.code, 125);
});
