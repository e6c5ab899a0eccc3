import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseTemplate, TemplateError, sprintf, formatValue, marshalJSON } from '../../src/format/template/index.js';
import { tabwrite } from '../../src/format/table.js';
import { versionStruct, type ClientVersion, type ServerVersion } from '../../src/format/version.js';
import { GoInt, GoStruct, GoNil, GoMap, GoSlice, type GoValue } from '../../src/format/template/values.js';
import { typedContainer } from '../../src/format/typed/typed.js';
import { goFileMode } from '../../src/go/fs.js';

interface Case {
  template: string;
  stdout: string;
  stderr: string;
  status: number;
}
const golden = JSON.parse(readFileSync(new URL('../golden/template-version.json', import.meta.url), 'utf8')) as {
  data: { Client: ClientVersion; Server: ServerVersion };
  cases: Case[];
};
const data = versionStruct({ client: golden.data.Client, server: golden.data.Server });

/** What `docker version --format T` prints, computed in-process on the same data. */
function render(template: string): { stdout: string; stderr: string; status: number } {
  let t;
  try {
    t = parseTemplate(template, { name: 'version' });
  } catch (e) {
    assert.ok(e instanceof TemplateError, String(e));
    return { stdout: '', stderr: `template parsing error: ${e.message}\n`, status: 64 };
  }
  try {
    return { stdout: tabwrite(t.execute(data) + '\n', { minwidth: 20, padding: 1 }), stderr: '', status: 0 };
  } catch (e) {
    assert.ok(e instanceof TemplateError, String(e));
    return { stdout: tabwrite(e.partial + '\n', { minwidth: 20, padding: 1 }), stderr: e.message + '\n', status: 1 };
  }
}

interface MapGolden {
  prefix: string;
  data: unknown;
  cases: Case[];
}
const mapGolden = JSON.parse(readFileSync(new URL('../golden/template-map.json', import.meta.url), 'utf8')) as MapGolden;

/** docker decodes the raw inspect JSON with UseNumber: json.Number is a string type, printed as its text. */
function jsonNumbersAsStrings(v: unknown): GoValue {
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return v.map(jsonNumbersAsStrings);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonNumbersAsStrings(x)]));
  return v as GoValue;
}
const mapData = jsonNumbersAsStrings(mapGolden.data);

/** What `docker image inspect busybox --format PREFIX+T` prints when it falls back to the raw map. */
function renderMap(template: string): { stdout: string; stderr: string; status: number } {
  try {
    const t = parseTemplate(mapGolden.prefix + template, { missingKeyError: true });
    return { stdout: t.execute(mapData) + '\n', stderr: '', status: 0 };
  } catch (e) {
    assert.ok(e instanceof TemplateError, String(e));
    return { stdout: '\n', stderr: `template parsing error: ${e.message}\n`, status: 1 };
  }
}

for (const c of mapGolden.cases) {
  test(`template on a raw map ${JSON.stringify(c.template)}`, () => {
    assert.deepEqual(renderMap(c.template), { stdout: c.stdout, stderr: c.stderr, status: c.status });
  });
}

// Outputs that print Go pointer addresses cannot match and are not part of the contract.
const skip = (c: Case): boolean => /0xc0/.test(c.stdout + c.stderr);

for (const c of golden.cases) {
  if (skip(c)) continue;
  test(`template ${JSON.stringify(c.template)}`, () => {
    assert.deepEqual(render(c.template), { stdout: c.stdout, stderr: c.stderr, status: c.status });
  });
}

test('missingkey=error on maps, <no value> otherwise', () => {
  const m = { State: { Status: 'running' } };
  assert.equal(parseTemplate('{{.State.Nope}}').execute(m), '<no value>');
  assert.throws(
    () => parseTemplate('{{.State.Nope}}', { missingKeyError: true }).execute(m),
    (e: Error) => e.message === 'template: :1:8: executing "" at <.State.Nope>: map has no entry for key "Nope"',
  );
});

test('struct printing, methods with arguments, typed nils', () => {
  const s = new GoStruct(
    '*formatter.ContainerContext',
    [['Pid', new GoInt(12)], ['Health', new GoNil('*container.Health', 'ptr')], ['Labels', new GoMap({ b: '2', a: '1' }, 'map[string]string')]],
    { Label: (k) => ({ a: 'x' })[String(k)] ?? '' },
  );
  assert.equal(parseTemplate('{{.}}').execute(s), '{12 <nil> map[a:1 b:2]}');
  assert.equal(parseTemplate('{{.Label "a"}}|{{.Pid | printf "%T"}}').execute(s), 'x|int');
  assert.equal(parseTemplate('{{index .Labels "zz"}}|').execute(s), '|');
  assert.throws(() => parseTemplate('{{.Nope}}').execute(s), /can't evaluate field Nope in type \*formatter.ContainerContext/);
  assert.throws(() => parseTemplate('{{.Health.Status}}').execute(s), /nil pointer evaluating \*container.Health.Status/);
});

test('float64 values from JSON maps print as Go prints them', () => {
  assert.equal(formatValue(4194304), '4.194304e+06');
  assert.equal(formatValue([1, 'a', null]), '[1 a <nil>]');
  assert.equal(formatValue({ b: 1, a: [true] }), 'map[a:[true] b:1]');
  assert.equal(sprintf('%-6s|%3d|%.2f', 'ab', new GoInt(7), 2.5), 'ab    |  7|2.50');
  assert.equal(marshalJSON({ b: 1, a: '<x>' }), '{"a":"<x>","b":1}');
});

test('marshalJSON: docker json func does not escape HTML; json.Marshal does when asked', () => {
  assert.equal(marshalJSON({ a: '<&>' }), '{"a":"<&>"}');
  assert.equal(marshalJSON({ a: '<&>' }, { escapeHTML: true }), '{"a":"\\u003c\\u0026\\u003e"}');
  assert.equal(marshalJSON([1e21, 1e-7, 0.5, new GoInt(3)]), '[1e+21,1e-7,0.5,3]');
});

test('sprintf and formatValue follow fmt', () => {
  assert.equal(formatValue(1.5), '1.5');
  assert.equal(formatValue(new GoStruct('container.State', [['Status', 'running'], ['Running', true], ['Health', new GoNil('*container.Health', 'ptr')]])), '{running true <nil>}');
  assert.equal(formatValue(new GoStruct('*T', [['Inner', new GoStruct('*U', [['X', 1]])]])), '&{0xc000010000}');
  assert.equal(sprintf('%5.2f|%-4d|%q', 3.14159, new GoInt(7), 'a'), ' 3.14|7   |"a"');
  assert.equal(sprintf('%s %d', 'x'), 'x %!d(MISSING)');
  assert.equal(sprintf('%s', 'x', 'y'), 'x%!(EXTRA string=y)');
  assert.equal(sprintf('%T %T %T', new GoInt(1, 'int64'), [1], {}), 'int64 []interface {} map[string]interface {}');
});

test('execution errors carry what was written before the failure', () => {
  try {
    parseTemplate('ab{{.X.Y}}').execute({ X: 'str' });
    assert.fail('no error');
  } catch (e) {
    assert.ok(e instanceof TemplateError);
    assert.equal(e.message, 'template: :1:6: executing "" at <.X.Y>: can\'t evaluate field Y in type interface {}');
    assert.equal(e.partial, 'ab');
  }
});

test('a parsed template is executed row after row with no state carried over', () => {
  const t = parseTemplate('{{.ID}}\t{{.Image}}\t{{printf "%.12s" .Command}}\t{{join .Names ","}}\t{{if .Running}}up{{end}}');
  const row = { ID: 'abc', Image: 'busybox', Command: 'sh -c "sleep 1000"', Names: new GoSlice(['a', 'b'], '[]string'), Running: true };
  assert.equal(t.execute(row), 'abc\tbusybox\tsh -c "sleep\ta,b\tup');
  for (let i = 0; i < 1000; i++) {
    const running = i % 2 === 0;
    assert.equal(t.execute({ ...row, ID: String(i), Running: running }), `${i}\tbusybox\tsh -c "sleep\ta,b\t${running ? 'up' : ''}`);
  }
});

test("os.FileMode prints by its String method (io/fs): type letters from the top bit down, then rwx", () => {
  assert.equal(goFileMode(0o444), '-r--r--r--');
  assert.equal(goFileMode(0), '----------');
  // the octal 01777 an engine reports: bit 9 is no letter of Go's
  assert.equal(goFileMode(0o1777), '-rwxrwxrwx');
  assert.equal(goFileMode((2 ** 31 + 2 ** 20 + 0o777) >>> 0), 'dtrwxrwxrwx');
  assert.equal(goFileMode(2 ** 26 + 2 ** 21 + 0o666), 'Dcrw-rw-rw-');
  assert.equal(goFileMode(2 ** 23 + 0o755), 'urwxr-xr-x');
  // in the typed inspect value: a tmpfs mount's mode, printed, formatted and marshalled as Go does
  const c = typedContainer({ HostConfig: { Mounts: [{ Type: 'tmpfs', Target: '/t', TmpfsOptions: { SizeBytes: 1048576, Mode: 0o1770 } }] } });
  const t = parseTemplate('{{range .HostConfig.Mounts}}{{.TmpfsOptions.Mode}}|{{.TmpfsOptions}}|{{printf "%d %o %T %#v" .TmpfsOptions.Mode .TmpfsOptions.Mode .TmpfsOptions.Mode .TmpfsOptions.Mode}}|{{json .TmpfsOptions}}{{end}}');
  assert.equal(t.execute(c), '-rwxrwx---|{1048576 -rwxrwx--- []}|1016 1770 fs.FileMode 0x3f8|{"SizeBytes":1048576,"Mode":1016}');
});
