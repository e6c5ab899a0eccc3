/**
 * Engine faults through a fault-injecting proxy socket of the test's own (test/helpers/faultproxy.ts):
 * docker 28 and tdocker run the same command through the same fault, and end with the same text and
 * exit status. The connection dropped mid-stream (as when the engine dies) for logs -f, wait, attach,
 * events and run --rm; answers that are 5xx with a non-JSON body, or JSON cut short.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { FaultProxy, type FaultRule } from '../helpers/faultproxy.js';
import { asDocker, docker, DOCKER, runProgram, TDOCKER, uniqueName } from '../helpers/run.js';

const label = uniqueName('tdfault');
const box = uniqueName('fault-box');
let proxy: FaultProxy;
let faults = 0;

before(async () => {
  const r = await docker(['run', '-d', '-i', '--label', label, '--name', box, 'busybox', 'sh', '-c', 'while true; do echo tick; sleep 0.2; done']);
  assert.equal(r.code, 0, r.stderr);
  proxy = await FaultProxy.start([]);
});

after(async () => {
  await proxy?.close();
  const ids = (await docker(['ps', '-aq', '--filter', `label=${label}`])).stdout.split('\n').filter(Boolean);
  if (ids.length) await docker(['rm', '-f', '-v', ...ids]);
  console.log(`# faults injected: ${faults}, each survived by both clients with the same ending`);
});

const stamp = (s: string): string => s.replace(/time="[^"]*"/g, 'time="<TS>"');

async function same(rules: FaultRule[], args: string[], expect?: { code: number; stderr?: RegExp }): Promise<void> {
  const ends = [];
  for (const prog of [DOCKER, TDOCKER]) {
    proxy.setRules(rules);
    const before = proxy.fired;
    const r = await runProgram(prog, ['-H', proxy.host, ...args], { timeout: 30000 });
    assert.ok(proxy.fired > before, `no fault fired for ${prog} ${args.join(' ')}`);
    faults += proxy.fired - before;
    ends.push({ code: r.code, signal: r.signal, stderr: stamp(asDocker(r.stderr)).replaceAll(proxy.path, '<SOCK>') });
  }
  assert.deepEqual(ends[1], ends[0], `tdocker ends differently from docker for ${args.join(' ')}`);
  if (expect) {
    assert.equal(ends[0].code, expect.code);
    if (expect.stderr) assert.match(ends[0].stderr, expect.stderr);
  }
}

// every long answer is cut 1.5 s after it began, as if the engine had died (short ones are done by then)
const dies: FaultRule[] = [{ match: /./, fault: 'close', afterBytes: 0, delayMs: 1500 }];

test('engine gone during logs -f: unexpected EOF, 1', () => same(dies, ['logs', '-f', box], { code: 1, stderr: /^unexpected EOF\n$/ }));
test('engine gone during wait: unexpected EOF, 1 (never a 0 a CI step would take for success)', () => same(dies, ['wait', box], { code: 1, stderr: /^unexpected EOF\n$/ }));
test('engine gone during attach: unexpected EOF, 1', () => same(dies, ['attach', '--no-stdin', box], { code: 1, stderr: /^unexpected EOF\n$/ }));
test('engine gone during events: unexpected EOF, 1', () => same(dies, ['events'], { code: 1, stderr: /^unexpected EOF\n$/ }));
test('engine gone during run --rm: error waiting for container: unexpected EOF, 125', () =>
  same(dies, ['run', '--rm', '--label', label, 'busybox', 'sleep', '10'], { code: 125, stderr: /level=error msg="error waiting for container: unexpected EOF"/ }));

const answer = (status: string, headers: string, body: string): string =>
  `HTTP/1.1 ${status}\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;

test('a 500 with a non-JSON body: as docker', () =>
  same([{ match: /\/containers\/json/, respond: answer('500 Internal Server Error', 'Content-Type: text/plain\r\n', 'the engine broke\n') }], ['ps']));
test('a 502 with an HTML body: as docker', () =>
  same([{ match: /\/images\/json/, respond: answer('502 Bad Gateway', 'Content-Type: text/html\r\n', '<html><body>bad gateway</body></html>') }], ['images']));
test('a 503 on inspect: as docker', () =>
  same([{ match: /\/containers\/[^/]+\/json/, respond: answer('503 Service Unavailable', '', 'try later') }], ['inspect', box]));
test('invalid JSON in a 200 answer: as docker', () =>
  same([{ match: /\/containers\/json/, respond: answer('200 OK', 'Content-Type: application/json\r\n', '[{"Id": "abc", "Names": [') }], ['ps']));
// an inspect answer is some 6 KB: 1000 bytes in is past the headers, inside the JSON
test('an answer cut short inside its body (truncated): as docker', () => same([{ match: /\/containers\/[^/]+\/json/, fault: 'truncate', afterBytes: 1000 }], ['inspect', box]));
test('an answer garbled inside its body: as docker', () => same([{ match: /\/containers\/[^/]+\/json/, fault: 'garble', afterBytes: 1000 }], ['inspect', box]));
test('a container list cut short: as docker', () => same([{ match: /\/containers\/json/, fault: 'truncate', afterBytes: 400 }], ['ps', '-a', '--filter', `label=${label}`]));
