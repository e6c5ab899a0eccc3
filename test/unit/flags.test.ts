import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlagSet, FlagParseError, flagUsages, type FlagSpec } from '../../src/cli/flags.js';
import { parseGoInt } from '../../src/go/strconv.js';

const specs: FlagSpec[] = [
  { name: 'all', short: 'a', kind: 'bool', usage: 'Show all' },
  { name: 'quiet', short: 'q', kind: 'bool', usage: 'Only IDs' },
  { name: 'last', short: 'n', kind: 'int', typeName: 'int', usage: 'Show n last', default: -1, defaultText: '-1' },
  { name: 'env', short: 'e', kind: 'list', typeName: 'list', usage: 'Set environment variables' },
  { name: 'name', kind: 'string', typeName: 'string', usage: 'Assign a name' },
  { name: 'publish', short: 'p', kind: 'list', typeName: 'list', usage: 'Publish' },
];

test('combined shorthands, = forms and values', () => {
  const p = new FlagSet(specs).parse(['-aq', '-n=3', '--name=x', '-e', 'A=1', '-eB=2', '-p8080:80', 'pos']);
  assert.equal(p.values.all, true);
  assert.equal(p.values.quiet, true);
  assert.equal(p.values.last, 3);
  assert.equal(p.values.name, 'x');
  assert.deepEqual(p.values.env, ['A=1', 'B=2']);
  assert.deepEqual(p.values.publish, ['8080:80']);
  assert.deepEqual(p.args, ['pos']);
  assert.deepEqual([...p.changed].sort(), ['all', 'env', 'last', 'name', 'publish', 'quiet']);
});

test('bool flags take =false; -- ends flags; interspersed positionals', () => {
  const p = new FlagSet(specs).parse(['x', '--all=false', 'y', '--', '-q']);
  assert.equal(p.values.all, false);
  assert.deepEqual(p.args, ['x', 'y', '-q']);
});

test('non-interspersed parsing stops at the first positional', () => {
  const p = new FlagSet(specs).parse(['-a', 'busybox', 'ls', '-q'], false);
  assert.equal(p.values.all, true);
  assert.equal(p.values.quiet, false);
  assert.deepEqual(p.args, ['busybox', 'ls', '-q']);
});

test('pflag error texts', () => {
  const fs = new FlagSet(specs);
  const msg = (argv: string[]): string => {
    try {
      fs.parse(argv);
    } catch (e) {
      assert.ok(e instanceof FlagParseError);
      return e.message;
    }
    return 'no error';
  };
  assert.equal(msg(['--nosuch']), 'unknown flag: --nosuch');
  assert.equal(msg(['-x']), "unknown shorthand flag: 'x' in -x");
  assert.equal(msg(['-ax']), "unknown shorthand flag: 'x' in -x");
  assert.equal(msg(['--name']), 'flag needs an argument: --name');
  assert.equal(msg(['-e']), "flag needs an argument: 'e' in -e");
  assert.equal(msg(['-n', 'x']), 'invalid argument "x" for "-n, --last" flag: strconv.ParseInt: parsing "x": invalid syntax');
  assert.equal(msg(['--all=maybe']), 'invalid argument "maybe" for "-a, --all" flag: strconv.ParseBool: parsing "maybe": invalid syntax');
  assert.equal(msg(['---x']), 'bad flag syntax: ---x');
});

test('help flags are recognised, not errors', () => {
  assert.equal(new FlagSet(specs).parse(['--help']).help, true);
  assert.equal(new FlagSet(specs).parse(['-h']).help, true);
  assert.equal(new FlagSet(specs).parse(['busybox', '--help'], false).help, false);
});

test('Go integer parsing', () => {
  assert.equal(parseGoInt('0x10'), 16);
  assert.equal(parseGoInt('-7'), -7);
  assert.equal(parseGoInt('010'), 8);
  assert.throws(() => parseGoInt('1.5'), /invalid syntax/);
});

test('flag usages are laid out and wrapped as pflag does', () => {
  const text = flagUsages(
    [
      { name: 'all', short: 'a', kind: 'bool', usage: 'Show all containers (default shows just running)' },
      { name: 'last', short: 'n', kind: 'int', typeName: 'int', usage: 'Show n last created containers (includes all states)', defaultText: '-1' },
    ],
    79,
  );
  assert.equal(
    text,
    '  -a, --all        Show all containers (default shows just running)\n' +
      '  -n, --last int   Show n last created containers (includes all states)\n' +
      '                   (default -1)\n',
  );
});
