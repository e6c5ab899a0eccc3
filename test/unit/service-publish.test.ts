/** service create/update --publish: docker's PortOpt.Set (texts as docker 28.2.2 prints them). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parsePublish } from '../../src/engine/servicespec.js';

const err = (v: string): string => {
  try {
    parsePublish(v);
  } catch (e) {
    return (e as Error).message.replace(/^invalid argument .* for "-p, --publish" flag: /, '');
  }
  return 'no error';
};

test('short syntax: docker\'s port configs', () => {
  assert.deepEqual(parsePublish(':80'), [{ Protocol: 'tcp', TargetPort: 80, PublishMode: 'ingress' }]);
  assert.deepEqual(parsePublish('8080:80/UDP'), [{ Protocol: 'udp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' }]);
  assert.deepEqual(parsePublish('8084-8085:80').map((p) => p.PublishedPort), [8084, 8085]);
  assert.deepEqual(parsePublish('8086-8087:92-93').map((p) => `${p.PublishedPort}:${p.TargetPort}`), ['8086:92', '8087:93']);
});

test('long syntax: case-insensitive keys, defaults', () => {
  assert.deepEqual(parsePublish('TARGET=80,Published=8083'), [{ Protocol: 'tcp', TargetPort: 80, PublishedPort: 8083, PublishMode: 'ingress' }]);
  assert.deepEqual(parsePublish('mode=host,target=80'), [{ Protocol: 'tcp', TargetPort: 80, PublishMode: 'host' }]);
});

test('docker\'s errors, in its order', () => {
  assert.equal(err(''), 'no port specified: <empty>');
  assert.equal(err(','), 'invalid containerPort: ,');
  assert.equal(err('target='), 'invalid containerPort: target=');
  assert.equal(err('published=8080'), "missing mandatory field 'target'");
  assert.equal(err('target=x'), 'invalid target port (x): value must be an integer: invalid syntax');
  assert.equal(err('target=70000'), 'invalid target port (70000): value must be an integer: value out of range');
  assert.equal(err('target=80,foo=1'), 'invalid field key: foo');
  assert.equal(err('target=80,=5'), 'invalid field: =5');
  assert.equal(err('70000'), 'invalid containerPort: 70000');
  assert.equal(err('x:80'), 'invalid hostPort: x');
  assert.equal(err('127.0.0.1:8080:80'), 'hostip is not supported');
  assert.equal(err('1.2.3:80:80'), 'invalid IP address: 1.2.3');
  assert.equal(err('1-2:80-83'), 'invalid ranges specified for container and host Ports: 80-83 and 1-2');
  assert.equal(err('8080:80/icmp'), 'invalid proto: icmp');
});
