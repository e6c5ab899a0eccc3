import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ellipsis, truncateId } from '../../src/format/humanize.js';
import { displayablePorts } from '../../src/format/ports.js';
import { renderList, FormatExecError, FormatParseError } from '../../src/format/list.js';
import { containerContext, CONTAINER_FORMAT } from '../../src/format/contexts/container.js';
import { imageRows, IMAGE_FORMAT } from '../../src/format/contexts/image.js';
import { indentJSON } from '../../src/format/inspect.js';
import { parseNormalized, familiarString, ReferenceError } from '../../src/engine/refs.js';
import { bytesSize, humanDuration, humanSize } from '../../src/go/units.js';
import { goTimeString } from '../../src/go/time.js';

test('go-units HumanDuration thresholds', () => {
  const s = 1000;
  assert.equal(humanDuration(500), 'Less than a second');
  assert.equal(humanDuration(1 * s), '1 second');
  assert.equal(humanDuration(59 * s), '59 seconds');
  assert.equal(humanDuration(60 * s), 'About a minute');
  assert.equal(humanDuration(119 * s), 'About a minute');
  assert.equal(humanDuration(120 * s), '2 minutes');
  assert.equal(humanDuration(3599 * s), '59 minutes');
  assert.equal(humanDuration(3600 * s), 'About an hour');
  assert.equal(humanDuration(5400 * s), '2 hours');
  assert.equal(humanDuration(47 * 3600 * s), '47 hours');
  assert.equal(humanDuration(48 * 3600 * s), '2 days');
  assert.equal(humanDuration(14 * 24 * 3600 * s), '2 weeks');
  assert.equal(humanDuration(60 * 24 * 3600 * s), '2 months');
  assert.equal(humanDuration(2 * 365 * 24 * 3600 * s), '2 years');
});

test('go-units sizes', () => {
  assert.equal(humanSize(0), '0B');
  assert.equal(humanSize(1230), '1.23kB');
  assert.equal(humanSize(77_900_000), '77.9MB');
  assert.equal(humanSize(1_984_000), '1.98MB');
  assert.equal(humanSize(6656, 4), '6.656kB');
  assert.equal(bytesSize(23.54 * 1024 ** 3), '23.54GiB');
  assert.equal(bytesSize(610304), '596KiB');
});

test('IDs, ellipsis, Go time strings', () => {
  assert.equal(truncateId('sha256:8ce6d956a69970a1db62c8b166181313c538e5a9cdc5722ffb4676d12ecabb7e'), '8ce6d956a699');
  assert.equal(ellipsis('sh -c \'echo started; sleep 300\'', 20), 'sh -c \'echo started…');
  assert.equal(ellipsis('short', 20), 'short');
  assert.equal(goTimeString(0), '1970-01-01 00:00:00 +0000 UTC');
});

test('docker\'s port display: sorted, host mappings, ranges', () => {
  assert.equal(
    displayablePorts([
      { IP: '::', PrivatePort: 9090, PublicPort: 32768, Type: 'tcp' },
      { IP: '0.0.0.0', PrivatePort: 9090, PublicPort: 32768, Type: 'tcp' },
      { IP: '127.0.0.1', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
    ]),
    '127.0.0.1:8080->80/tcp, 0.0.0.0:32768->9090/tcp, [::]:32768->9090/tcp',
  );
  assert.equal(displayablePorts([{ PrivatePort: 81, Type: 'tcp' }, { PrivatePort: 80, Type: 'tcp' }, { PrivatePort: 82, Type: 'tcp' }]), '80-82/tcp');
  assert.equal(displayablePorts([{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: 80, Type: 'udp' }]), '0.0.0.0:80->80/udp');
});

const container = {
  Id: 'c0b21c5a9f26b926cf1e5ea8e2fd2026db9fc4fd9119984d59f21e89427789bc',
  Names: ['/web'],
  Image: 'busybox',
  ImageID: 'sha256:8ce6d956a69970a1db62c8b166181313c538e5a9cdc5722ffb4676d12ecabb7e',
  Command: 'httpd -f -p 80',
  Created: 1_000_000,
  Ports: [{ IP: '127.0.0.1', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' }],
  Labels: { tier: 'front' },
  State: 'running',
  Status: 'Up 2 minutes',
  NetworkSettings: { Networks: { bridge: {} } },
};

test('ps table and templates over the container context', () => {
  const now = (1_000_000 + 120) * 1000;
  const rows = [containerContext(container, { trunc: true, now })];
  assert.equal(
    renderList('table', rows, CONTAINER_FORMAT),
    'CONTAINER ID   IMAGE     COMMAND            CREATED         STATUS         PORTS                    NAMES\n' +
      'c0b21c5a9f26   busybox   "httpd -f -p 80"   2 minutes ago   Up 2 minutes   127.0.0.1:8080->80/tcp   web\n',
  );
  assert.equal(renderList('{{.Names}}: {{.Label "tier"}} {{.Networks}}', rows, CONTAINER_FORMAT), 'web: front bridge\n');
  assert.equal(renderList('table {{.Names}}\\t{{.Label "tier"}}', rows, CONTAINER_FORMAT), 'NAMES     tier\nweb       front\n');
  assert.match(renderList('json', rows, CONTAINER_FORMAT), /^\{"Command":"\\"httpd -f -p 80\\"","CreatedAt":"1970-01-12 13:46:40 \+0000 UTC",.*"Platform":null,"Ports":"127\.0\.0\.1:8080-\\u003e80\/tcp",/);
  assert.throws(() => renderList('{{.Nope}}', rows, CONTAINER_FORMAT), (e: Error) => e instanceof FormatExecError && e.message === 'template: :1:2: executing "" at <.Nope>: can\'t evaluate field Nope in type *formatter.ContainerContext');
  assert.throws(() => renderList('{{.Names', rows, CONTAINER_FORMAT), (e: Error) => e instanceof FormatParseError && e.message === 'template: :1: unclosed action');
  assert.equal(renderList('table', [], CONTAINER_FORMAT), 'CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n');
});

test('images rows: one per tag, dangling <none>, digests', () => {
  const rows = imageRows(
    [
      { Id: 'sha256:' + 'a'.repeat(64), RepoTags: ['busybox:latest', 'busybox:1', 'me/x:2'], RepoDigests: ['busybox@sha256:' + 'b'.repeat(64)], Created: 0, Size: 1_984_000, SharedSize: -1, Containers: -1 },
      { Id: 'sha256:' + 'c'.repeat(64), RepoTags: [], RepoDigests: [], Created: 0, Size: 0, SharedSize: -1, Containers: -1 },
    ],
    { trunc: true, digests: true, now: 0 },
  );
  assert.equal(
    renderList('{{.Repository}} {{.Tag}} {{.Digest}} {{.ID}} {{.Size}}', rows, IMAGE_FORMAT),
    `busybox latest sha256:${'b'.repeat(64)} aaaaaaaaaaaa 1.98MB\nbusybox 1 sha256:${'b'.repeat(64)} aaaaaaaaaaaa 1.98MB\nme/x 2 <none> aaaaaaaaaaaa 1.98MB\n<none> <none> <none> cccccccccccc 0B\n`,
  );
});

test('inspect re-indents the engine\'s JSON as Go\'s json.Indent, keeping its escapes', () => {
  assert.equal(indentJSON('[{"a":[],"b":{},"c":"x\\u003cy","d":[1,{"e":null}]}]'), '[\n    {\n        "a": [],\n        "b": {},\n        "c": "x\\u003cy",\n        "d": [\n            1,\n            {\n                "e": null\n            }\n        ]\n    }\n]');
});

test('image references as docker normalises them', () => {
  assert.equal(parseNormalized('ubuntu').name, 'docker.io/library/ubuntu');
  assert.equal(parseNormalized('user/img:tag').tag, 'tag');
  const r = parseNormalized('127.0.0.1:5000/x/y:1');
  assert.equal(r.domain, '127.0.0.1:5000');
  assert.equal(familiarString(r), '127.0.0.1:5000/x/y:1');
  assert.equal(familiarString(parseNormalized('docker.io/library/busybox:latest')), 'busybox:latest');
  assert.equal(parseNormalized(`img@sha256:${'a'.repeat(64)}`).digest, `sha256:${'a'.repeat(64)}`);
  assert.throws(() => parseNormalized('UPPERCASE'), (e: Error) => e instanceof ReferenceError && e.message === 'invalid reference format: repository name (library/UPPERCASE) must be lowercase');
  assert.throws(() => parseNormalized('bad ref!'), /^ReferenceError: invalid reference format$|invalid reference format/);
});
