import { test } from 'node:test';
import { timestampArg } from '../../src/commands/container/logs.js';
import assert from 'node:assert/strict';
import { eventLine, eventValue } from '../../src/format/events.js';
import { goLocalRFC3339NanoFixed } from '../../src/go/time.js';
import { dfRows, sortBuildCache } from '../../src/format/df.js';
import { systemPruneWarning, kindReport } from '../../src/format/sysprune.js';
import { parseTemplate } from '../../src/format/template/index.js';

const raw = '{"Type":"container","Action":"start","Actor":{"ID":"abc","Attributes":{"name":"x","image":"busybox"}},"scope":"local","time":1795355018,"timeNano":1795355018592368427}';
const ev = JSON.parse(raw) as Parameters<typeof eventLine>[0];

/** f run with the process's TZ set to tz (Node's Date follows it), put back after */
function inZone<T>(tz: string, f: () => T): T {
  const old = process.env.TZ;
  process.env.TZ = tz;
  try {
    return f();
  } finally {
    if (old === undefined) delete process.env.TZ;
    else process.env.TZ = old;
  }
}

test('events: nanosecond timestamps kept exactly, attributes sorted', () => {
  inZone('UTC', () => {
    assert.equal(goLocalRFC3339NanoFixed(1795355018000000005n), '2026-11-22T13:43:38.000000005Z');
    assert.equal(eventLine(ev, raw), '2026-11-22T13:43:38.592368427Z container start abc (image=busybox, name=x)\n');
    const noAttrs = '{"Type":"network","Action":"create","Actor":{"ID":"n1"},"time":1}';
    assert.equal(eventLine(JSON.parse(noAttrs) as Parameters<typeof eventLine>[0], noAttrs), '1970-01-01T00:00:01.000000000Z network create n1\n');
  });
});

test("events: the plain line's time is in the local zone, TZ honoured (docker's time.Unix(0, TimeNano))", () => {
  assert.equal(inZone('Asia/Tokyo', () => eventLine(ev, raw)), '2026-11-22T22:43:38.592368427+09:00 container start abc (image=busybox, name=x)\n');
  assert.equal(inZone('America/New_York', () => eventLine(ev, raw)), '2026-11-22T08:43:38.592368427-05:00 container start abc (image=busybox, name=x)\n');
  // summer time, and a time with no nanoseconds from the engine (time only)
  assert.equal(inZone('America/New_York', () => goLocalRFC3339NanoFixed(1782000000_000000001n)), '2026-06-20T20:00:00.000000001-04:00');
  const secsOnly = '{"Type":"network","Action":"create","Actor":{"ID":"n1"},"time":1782000000}';
  assert.equal(inZone('Asia/Kolkata', () => eventLine(JSON.parse(secsOnly) as Parameters<typeof eventLine>[0], secsOnly)), '2026-06-21T05:30:00.000000000+05:30 network create n1\n');
});

test('events: *events.Message for templates and json', () => {
  const v = eventValue(ev, raw);
  assert.equal(parseTemplate('{{json .}}').execute(v), '{"Type":"container","Action":"start","Actor":{"ID":"abc","Attributes":{"image":"busybox","name":"x"}},"scope":"local","time":1795355018,"timeNano":1795355018592368427}');
  assert.equal(parseTemplate('{{.}}').execute(v), '{   container start {abc map[image:busybox name:x]} local 1795355018 1795355018592368427}');
  assert.equal(parseTemplate('{{.Actor.Attributes.name}} {{.TimeNano}}').execute(v), 'x 1795355018592368427');
});

test('system df rows: counts, sizes and reclaimable percentages as docker computes them', () => {
  const rows = dfRows({
    LayersSize: 3000,
    Images: [{ Containers: 1, Size: 2000, SharedSize: 500 }, { Containers: 0, Size: 1000, SharedSize: 0 }],
    Containers: [{ State: 'running', SizeRw: 10 }, { State: 'exited', SizeRw: 30 }],
    Volumes: [{ UsageData: { Size: 100, RefCount: 1 } }, { UsageData: { Size: -1, RefCount: 0 } }, { UsageData: { Size: 50, RefCount: 0 } }],
    BuildCache: [{ InUse: true, Shared: false, Size: 7 }, { InUse: false, Shared: true, Size: 9 }, { InUse: false, Shared: false, Size: 2 }],
  });
  const t = parseTemplate('{{.Type}}|{{.TotalCount}}|{{.Active}}|{{.Size}}|{{.Reclaimable}}');
  assert.deepEqual(rows.map((r) => t.execute(r)), [
    'Images|2|1|3kB|1.5kB (50%)',
    'Containers|2|1|40B|30B (75%)',
    'Local Volumes|3|1|150B|50B (33%)',
    'Build Cache|3|1|9B|2B',
  ]);
  const order = sortBuildCache([
    { ID: 'b', Type: 'regular', InUse: false, Shared: false, Size: 1, CreatedAt: '2020-01-01T00:00:00Z', LastUsedAt: '2020-01-03T00:00:00Z', UsageCount: 1 },
    { ID: 'a', Type: 'regular', InUse: false, Shared: false, Size: 1, CreatedAt: '2020-01-01T00:00:00Z', LastUsedAt: null, UsageCount: 0 },
    { ID: 'c', Type: 'regular', InUse: false, Shared: false, Size: 1, CreatedAt: '2020-01-01T00:00:00Z', LastUsedAt: '2020-01-02T00:00:00Z', UsageCount: 1 },
  ]).map((b) => b.ID);
  assert.deepEqual(order, ['a', 'c', 'b']);
});

test('system prune: warning lists kinds and the label/until filters, sorted', () => {
  assert.equal(systemPruneWarning(true, true, { until: { '1h': true }, label: { 'a=b': true }, other: { x: true } }),
    'WARNING! This will remove:\n  - all stopped containers\n  - all networks not used by at least one container\n  - all anonymous volumes not used by at least one container\n'
    + '  - all images without at least one container associated to them\n  - all build cache\n\n  Items to be pruned will be filtered with:\n  - label=a=b\n  - until=1h\n\nAre you sure you want to continue?');
  assert.equal(kindReport('Deleted Networks:', []), '');
  assert.equal(kindReport('Deleted Networks:', ['n1', 'n2']), 'Deleted Networks:\nn1\nn2\n\n');
});

test('events/logs --since and --until: a duration ago is whole seconds, as docker sends it', () => {
  const now = Date.UTC(2026, 11, 2, 1, 0, 0, 789);
  const base = Math.floor(now / 1000);
  assert.equal(timestampArg('1s', now), String(base - 1));
  assert.equal(timestampArg('0s', now), String(base));
  assert.equal(timestampArg('10m', now), String(base - 600));
  assert.equal(timestampArg('1.5s', now), String(Math.floor((now - 1500) / 1000)));
  assert.equal(timestampArg('-1h', now), String(base + 3600));
  // a Unix time goes as given; a date as seconds.nanoseconds
  assert.equal(timestampArg('0', now), '0');
  assert.equal(timestampArg('1733100000.5', now), '1733100000.5');
  assert.equal(timestampArg('2025-01-01T00:00:00Z', now), '1735689600.000000000');
});
