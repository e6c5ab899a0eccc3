import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, parsePorts, ramInBytes } from '../../src/cli/opts.js';
import { detachFilter, parseDetachKeys } from '../../src/stream/terminal.js';

test('ramInBytes: binary units as go-units, docker text for bad sizes', () => {
  assert.equal(ramInBytes('512m'), 512 * 1024 ** 2);
  assert.equal(ramInBytes('1g'), 1024 ** 3);
  assert.equal(ramInBytes('100k'), 102400);
  assert.equal(ramInBytes('1024'), 1024);
  assert.throws(() => ramInBytes('lots'), { message: "invalid size: 'lots'" });
});

test('parseDuration: Go durations in nanoseconds', () => {
  assert.equal(parseDuration('1m30s'), 90e9);
  assert.equal(parseDuration('1.5s'), 1.5e9);
  assert.equal(parseDuration('0'), 0);
  assert.throws(() => parseDuration('5'), { message: 'time: missing unit in duration "5"' });
  assert.throws(() => parseDuration('abc'), { message: 'time: invalid duration "abc"' });
});

test('parsePorts: published and exposed ports, ranges, protocols, host IPs', () => {
  const r = parsePorts(['80', '8080:80', '127.0.0.1:9000:90/udp', '127.0.0.1::70', '7000-7001:7000-7001'], ['100-101']);
  assert.deepEqual(Object.keys(r.exposed).sort(), ['100/tcp', '101/tcp', '70/tcp', '7000/tcp', '7001/tcp', '80/tcp', '90/udp']);
  assert.deepEqual(r.bindings['80/tcp'], [
    { HostIp: '', HostPort: '' },
    { HostIp: '', HostPort: '8080' },
  ]);
  assert.deepEqual(r.bindings['90/udp'], [{ HostIp: '127.0.0.1', HostPort: '9000' }]);
  assert.deepEqual(r.bindings['70/tcp'], [{ HostIp: '127.0.0.1', HostPort: '' }]);
  assert.deepEqual(r.bindings['7001/tcp'], [{ HostIp: '', HostPort: '7001' }]);
  assert.throws(() => parsePorts(['notaport'], []), { message: 'invalid containerPort: notaport' });
});

test('parseDetachKeys: docker key names', () => {
  assert.deepEqual(parseDetachKeys('ctrl-p,ctrl-q'), [16, 17]);
  assert.deepEqual(parseDetachKeys('a,ctrl-@,ctrl-['), [97, 0, 27]);
  assert.throws(() => parseDetachKeys('ctrl-1'), { message: "Unknown character: 'ctrl-1'" });
});

test("detachFilter: moby/term's EscapeProxy: a broken sequence is given back and not restarted", () => {
  let detached = 0;
  const f = detachFilter([16, 17], () => detached++);
  assert.deepEqual(f(Buffer.from('ab')), Buffer.from('ab'));
  assert.equal(f(Buffer.from([16])), undefined);
  assert.deepEqual(f(Buffer.from('x')), Buffer.from([16, 120]));
  assert.equal(detached, 0);
  // ctrl-p ctrl-p ctrl-q: the second ctrl-p breaks the sequence and is not a new start
  assert.equal(f(Buffer.from([16])), undefined);
  assert.deepEqual(f(Buffer.from([16])), Buffer.from([16, 16]));
  assert.deepEqual(f(Buffer.from([17])), Buffer.from([17]));
  assert.deepEqual(f(Buffer.from([16, 16, 17])), Buffer.from([16, 16, 17]));
  assert.equal(detached, 0);
  // two keys in one read (node may read them together), or across reads
  assert.deepEqual(f(Buffer.from([99, 16, 17, 100])), Buffer.from([99]));
  assert.equal(detached, 1);
  assert.equal(f(Buffer.from([16])), undefined);
  assert.equal(f(Buffer.from([17])), undefined);
  assert.equal(detached, 2);
  // a one-key sequence
  const g = detachFilter([1], () => detached++);
  assert.equal(g(Buffer.from([1])), undefined);
  assert.equal(detached, 3);
});
