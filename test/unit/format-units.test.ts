// humanize, tabwriter and ports rules, from go-units, Go's text/tabwriter and docker/cli sources; docker's log line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ellipsis, truncateId } from '../../src/format/humanize.js';
import { tabwrite, TabWriter } from '../../src/format/table.js';
import { displayablePorts } from '../../src/format/ports.js';
import { finalFormat, renderList, labelHeader } from '../../src/format/list.js';
import { GoStruct } from '../../src/format/template/values.js';
import { logLine } from '../../src/go/log.js';
import { bytesSize, humanDuration, humanSize } from '../../src/go/units.js';

test('HumanDuration: go-units thresholds (hours rounded, years from whole hours)', () => {
  const h = 3600_000;
  assert.equal(humanDuration(-5000), 'Less than a second');
  assert.equal(humanDuration(999), 'Less than a second');
  assert.equal(humanDuration(1999), '1 second');
  assert.equal(humanDuration(89 * 60_000), 'About an hour');
  assert.equal(humanDuration(59 * 60_000 + 59_999), '59 minutes');
  assert.equal(humanDuration(90 * 60_000 - 1), 'About an hour');
  assert.equal(humanDuration(90 * 60_000), '2 hours');
  assert.equal(humanDuration(47.4 * h), '47 hours');
  assert.equal(humanDuration(47.5 * h), '2 days');
  assert.equal(humanDuration(24 * 13 * h), '13 days');
  assert.equal(humanDuration(24 * 59 * h), '8 weeks');
  assert.equal(humanDuration(24 * 729 * h), '24 months');
  assert.equal(humanDuration(24 * 365 * 3 * h), '3 years');
});

test('sizes: HumanSizeWithPrecision %.*g and BytesSize %.4g', () => {
  assert.equal(humanSize(999), '999B');
  assert.equal(humanSize(1000), '1kB');
  assert.equal(humanSize(999_999), '1e+03kB');
  assert.equal(humanSize(1_984_230, 4), '1.984MB');
  assert.equal(humanSize(123_456_789_000), '123GB');
  assert.equal(bytesSize(1023), '1023B');
  assert.equal(bytesSize(1024 * 1024 * 1.5), '1.5MiB');
  assert.equal(truncateId('abc'), 'abc');
  assert.equal(truncateId('0123456789abcdef'), '0123456789ab');
});

test('Ellipsis counts display width: wide characters are 2 columns', () => {
  assert.equal(ellipsis('abcdef', 1), 'a');
  assert.equal(ellipsis('abcdef', 0), '');
  assert.equal(ellipsis('abcdef', 6), 'abcdef');
  assert.equal(ellipsis('abcdef', 5), 'abcd…');
  assert.equal(ellipsis('你好世界', 5), '你好…');
  assert.equal(ellipsis('你好世界', 8), '你好世界');
  assert.equal(ellipsis('äöüßäöü', 4), 'äöü…');
});

test('tabwriter: column blocks, unterminated last cells, \\f, runes', () => {
  assert.equal(tabwrite('a\tb\tc\nlonger text\tx\n'), 'a             b         c\nlonger text   x\n');
  // a line with fewer cells ends the block of the columns it lacks
  assert.equal(tabwrite('a\tb\tc\nd\n1234567890123\t2\t3\n'), 'a         b         c\nd\n1234567890123   2         3\n');
  assert.equal(tabwrite('h\tx\t\nrow\ty\t\n'), 'h         x         \nrow       y         \n');
  assert.equal(tabwrite('a\tb\t'), 'a         b');
  assert.equal(tabwrite('aaaaaaaaaaaaa\tb\n\fc\td\n'), 'aaaaaaaaaaaaa   b\n\nc         d\n');
  assert.equal(tabwrite('😀😀\tx\nab\ty\n'), '😀😀        x\nab        y\n');
  assert.equal(tabwrite('x\vy\tz\n'), 'x         y         z\n');
  const w = new TabWriter();
  w.write('ID\tNAME\n');
  w.write('1\tfoo\n');
  assert.equal(w.flush(), 'ID        NAME\n1         foo\n');
});

test('DisplayablePorts: IPv6 ranges bracketed, groups before host mappings', () => {
  assert.equal(
    displayablePorts([
      { IP: '::', PrivatePort: 8001, PublicPort: 8001, Type: 'tcp' },
      { IP: '::', PrivatePort: 8000, PublicPort: 8000, Type: 'tcp' },
      { PrivatePort: 53, Type: 'udp' },
      { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
    ]),
    '53/udp, [::]:8000-8001->8000-8001/tcp, 0.0.0.0:8080->80/tcp',
  );
  assert.equal(displayablePorts([]), '');
});

test('formats: table prefix, trimmed spaces, \\t and \\n escapes, header map', () => {
  const spec = { defaultTable: 'table {{.A}}', headers: { A: 'COL A' } };
  assert.deepEqual(finalFormat('table  {{.A}}\\t{{.B}}\\n ', spec), { text: '{{.A}}\t{{.B}}\n', table: true });
  // IsTable looks at the untrimmed format
  assert.deepEqual(finalFormat(' table {{.A}}', spec), { text: 'table {{.A}}', table: false });
  assert.deepEqual(finalFormat('json', spec), { text: '{{json .}}', table: false });
  assert.equal(labelHeader('com.example.some-label_x'), 'some label x');
  const row = new GoStruct('*x.ctx', [], { A: () => 'a', B: () => 'b', Label: () => 'v' });
  // unknown header keys print <no value>; header functions leave the title as it is
  assert.equal(renderList('table {{.A}}\t{{.B}}\t{{upper .A}}\t{{.Label "a.b-c"}}', [row], spec), 'COL A     <no value>   COL A     b c\na         b            A         v\n');
  assert.equal(renderList('{{.A}}', [], spec), '');
  assert.equal(renderList('table {{.A}}', [], spec), 'COL A\n');
});

test('logLine: docker\'s log line (logrus\' text format), the message quoted as Go quotes it', () => {
  const line = logLine('error', 'Can\'t add file /a "b" to tar', new Date(Date.UTC(2026, 10, 22, 19, 43, 32)));
  assert.match(line, /^time="2026-11-2\dT\d\d:\d\d:32(Z|[+-]\d\d:\d\d)" level=error msg="Can't add file \/a \\"b\\" to tar"\n$/);
});
