/** What docker's client makes of a redirect from the engine (moby's CheckRedirect on Go's http.Client). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redirectOutcome } from '../../src/engine/errors.js';

test('a GET takes the 3xx answer as its success; no redirect status is no redirect', () => {
  for (const s of [301, 302, 303, 307, 308]) assert.equal(redirectOutcome(s, 'GET', 'http://elsewhere/x', false), 'success');
  for (const s of [200, 304, 404, 500]) assert.equal(redirectOutcome(s, 'POST', 'http://elsewhere/x', false), undefined);
});

test('other methods end with error during connect, the Location as given', () => {
  const e = redirectOutcome(302, 'POST', '/stolen', false);
  assert.ok(e instanceof Error);
  assert.equal(e.message, 'error during connect: Post "/stolen": unexpected redirect in response');
  assert.equal((redirectOutcome(301, 'HEAD', 'http://h/', false) as Error).message, 'error during connect: Head "http://h/": unexpected redirect in response');
  assert.equal((redirectOutcome(301, 'PUT', 'http://h/', true) as Error).message, 'error during connect: Put "http://h/": unexpected redirect in response');
});

test('no Location, or a 307/308 whose streamed body Go could not send again: read as the answer', () => {
  assert.equal(redirectOutcome(301, 'POST', undefined, false), 'success');
  assert.equal(redirectOutcome(307, 'PUT', 'http://h/', true), 'success');
  assert.equal(redirectOutcome(308, 'POST', 'http://h/', true), 'success');
  assert.ok(redirectOutcome(307, 'POST', 'http://h/', false) instanceof Error);
});

test("a request's path in docker's error texts: Go's EscapedPath", async () => {
  const { goEscapedPath } = await import('../../src/engine/errors.js');
  assert.equal(goEscapedPath('/v1.41/images/127.0.0.1%3A5000%2Fx/push?tag=x'), '/v1.41/images/127.0.0.1:5000/x/push?tag=x');
  assert.equal(goEscapedPath('/v1.41/containers/a b/json'), '/v1.41/containers/a%20b/json');
  assert.equal(goEscapedPath('/v1.41/images/create?fromImage=127.0.0.1%3A5000%2Fx&tag=x'), '/v1.41/images/create?fromImage=127.0.0.1%3A5000%2Fx&tag=x');
  assert.equal(goEscapedPath('/v1.41/images/caf%C3%A9/json'), '/v1.41/images/caf%C3%A9/json');
});
