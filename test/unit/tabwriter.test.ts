import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tabwrite } from '../../src/format/table.js';

test('columns are as wide as their widest cell plus padding, at least minwidth', () => {
  assert.equal(
    tabwrite('CONTAINER ID\tIMAGE\tNAMES\nabc\tbusybox\tx\n'),
    'CONTAINER ID   IMAGE     NAMES\nabc            busybox   x\n',
  );
});

test('column blocks: a line without the column ends the block', () => {
  assert.equal(tabwrite('a\tb\tc\nlonger cell\td\ne\nf\tg\n'), 'a             b         c\nlonger cell   d\ne\nf         g\n');
});

test('version layout: minwidth 20, padding 1', () => {
  assert.equal(tabwrite(' Version:\t28.2.2\n API version:\t1.41\n', { minwidth: 20, padding: 1 }), ' Version:           28.2.2\n API version:       1.41\n');
});

test('multi-byte cells count runes', () => {
  assert.equal(tabwrite('é\tx\n'), 'é         x\n');
});
