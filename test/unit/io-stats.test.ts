import { test } from 'node:test';
import assert from 'node:assert/strict';
import { liveFrame } from '../../src/commands/container/stats.js';

test('stats live frame: docker\'s bytes (table, then the lines again with erase-line, then erase-below)', () => {
  assert.equal(
    liveFrame('HEAD\nrow\n'),
    '\x1b[HHEAD\nrow\n' + '\x1b[HHEAD \x1b[K\n' + 'row \x1b[K\n' + ' \x1b[K\n' + '\x1b[J',
  );
});
