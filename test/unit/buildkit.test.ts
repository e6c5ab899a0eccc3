import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { walkTree } from '../../src/engine/buildkit/fssync.js';
import { unitBytes } from '../../src/format/buildkit.js';

test('unitBytes: tonistiigi/units %.2f', () => {
  assert.equal(unitBytes(2), '2B');
  assert.equal(unitBytes(999), '999B');
  assert.equal(unitBytes(1234), '1.23kB');
  assert.equal(unitBytes(5_600_000), '5.60MB');
});

test('walkTree: Go order, .dockerignore excludes, include patterns with their parents only', async () => {
  const d = mkdtempSync(join(tmpdir(), 'tdbk-walk-'));
  try {
    for (const f of ['b/x.txt', 'b/y.log', 'a', 'B', 'c/d/e']) {
      mkdirSync(join(d, f, '..'), { recursive: true });
      writeFileSync(join(d, f), f);
    }
    const all = await walkTree(d, { excludes: ['b/*.log'], includes: [] });
    assert.deepEqual(all.map((e) => e.path), ['B', 'a', 'b', 'b/x.txt', 'c', 'c/d', 'c/d/e']);
    assert.equal(all.find((e) => e.path === 'b')!.mode >>> 0, (0x80000000 | 0o755) >>> 0);
    assert.equal(all.find((e) => e.path === 'a')!.uid, 0);
    const some = await walkTree(d, { excludes: [], includes: ['c/d/e', 'a'] });
    assert.deepEqual(some.map((e) => e.path), ['a', 'c', 'c/d', 'c/d/e']);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
