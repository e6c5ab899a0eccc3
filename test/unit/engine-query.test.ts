import { test } from 'node:test';
import assert from 'node:assert/strict';
import { queryPairs } from '../../src/engine/client.js';

test("query strings as docker-modem's: arrays repeat the key, maps are JSON, null is empty, undefined is left out", () => {
  assert.equal(queryPairs({ container: 'c', changes: ['ENV X=1', 'LABEL a=b'], pause: '1' }), 'changes=ENV+X%3D1&changes=LABEL+a%3Db&container=c&pause=1');
  assert.equal(queryPairs({ filters: { label: { a: true } }, all: true }), 'all=true&filters=%7B%22label%22%3A%7B%22a%22%3Atrue%7D%7D');
  assert.equal(queryPairs({ tag: null, repo: undefined }), 'tag=');
  assert.equal(queryPairs({}), '');
});
