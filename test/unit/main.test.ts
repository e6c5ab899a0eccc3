import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runMain } from '../helpers/inprocess.js';

test('unknown command', async () => {
  const r = await runMain(['nosuch']);
  assert.equal(r.code, 1);
  assert.equal(r.err, "tdocker: unknown command: tdocker nosuch\n\nRun 'tdocker --help' for more information\n");
});

test('unknown global flag: 125 with the root usage line', async () => {
  const r = await runMain(['--bogus']);
  assert.equal(r.code, 125);
  assert.equal(r.err, "unknown flag: --bogus\n\nUsage:  tdocker [OPTIONS] COMMAND [ARG...]\n\nRun 'tdocker --help' for more information\n");
});

test('a command with too many arguments', async () => {
  const r = await runMain(['version', 'x']);
  assert.equal(r.code, 1);
  assert.equal(r.err, "tdocker: 'tdocker version' accepts no arguments\n\nUsage:  tdocker version [OPTIONS]\n\nRun 'tdocker version --help' for more information\n");
});

test('help pages use HOME for the config defaults and the program name', async () => {
  const r = await runMain(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.out, /^Usage: {2}tdocker \[OPTIONS\] COMMAND\n/);
  assert.match(r.out, /--config string {6}Location of client config files \(default\n {27}"\/home\/x\/\.docker"\)/);
  const v = await runMain(['version', '--help']);
  assert.match(v.out, /^Usage: {2}tdocker version \[OPTIONS\]\n\nShow the Docker version information\n\nOptions:\n {2}-f, --format string/);
});

test('no arguments: help on stderr, status 0', async () => {
  const r = await runMain([]);
  assert.equal(r.code, 0);
  assert.equal(r.out, '');
  assert.match(r.err, /^Usage: {2}tdocker/);
});

test('bad log level', async () => {
  const r = await runMain(['-l', 'loud', 'version']);
  assert.equal(r.code, 1);
  assert.equal(r.err, 'Unable to parse logging level: loud\n');
});

test('engine unreachable through a bad DOCKER_HOST scheme', async () => {
  const r = await runMain(['info'], { DOCKER_HOST: 'foo://bar' });
  assert.equal(r.code, 1);
  assert.equal(r.err, 'Failed to initialize: unable to resolve docker endpoint: invalid bind address format: foo://bar\n');
});
