import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DOCKER, TDOCKER, both, docker, tdocker } from '../helpers/run.js';

// a config directory of our own with a cli-plugins directory, and an extra directory from config.json
const cfg = mkdtempSync(join(tmpdir(), 'tdplug-'));
const plugdir = join(cfg, 'cli-plugins');
const extra = join(cfg, 'extra');
mkdirSync(plugdir);
mkdirSync(extra);
writeFileSync(join(cfg, 'config.json'), JSON.stringify({ cliPluginsExtraDirs: [extra] }));
after(() => rmSync(cfg, { recursive: true, force: true }));
const env = { DOCKER_CONFIG: cfg };

const tag = randomBytes(3).toString('hex').replace(/^\d/, 'x');
const name = (base: string): string => `${base}${tag}`;

function plugin(dir: string, n: string, body: string): void {
  const p = join(dir, `docker-${n}`);
  writeFileSync(p, body);
  chmodSync(p, 0o755);
}

const meta = (extraFields = ''): string =>
  `if [ "$1" = docker-cli-plugin-metadata ]; then echo '{"SchemaVersion":"0.1.0","Vendor":"Test Vendor","Version":"v1.0"${extraFields}}'; exit 0; fi\n`;

const hello = name('hello');
plugin(plugdir, hello, `#!/bin/sh\n${meta(',"ShortDescription":"Say hello"')}echo "args: $*"\necho "orig=\${DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND:+set} sock=\${DOCKER_CLI_PLUGIN_SOCKET:+set}"\necho "otel=$OTEL_RESOURCE_ATTRIBUTES"\nexit 7\n`);
const fromExtra = name('extra');
plugin(extra, fromExtra, `#!/bin/sh\n${meta(',"ShortDescription":"From the extra dir"')}echo extra\n`);
// a later directory's copy is shadowed by the first
plugin(plugdir, fromExtra, `#!/bin/sh\n${meta(',"ShortDescription":"shadowed"')}echo shadowed\n`);
plugin(plugdir, name('badschema'), `#!/bin/sh\necho '{"SchemaVersion":"0.2.0","Vendor":"x"}'\n`);
plugin(plugdir, name('novendor'), `#!/bin/sh\necho '{"SchemaVersion":"0.1.0"}'\n`);
plugin(plugdir, name('garbage'), `#!/bin/sh\necho 'garbage'\n`);
plugin(plugdir, name('failing'), `#!/bin/sh\nexit 2\n`);
writeFileSync(join(plugdir, `docker-${name('noexec')}`), '#!/bin/sh\n');
// metadata that is not JSON: the reason is Go's encoding/json error, byte for byte
const badJSON = ['{invalid', '{"a":1,}', '{"a" 1}', '[1 2]', 'tru', '"abc', '1.', '-x', '{"a":"\\q"}', "{'a':1}", '{"a":1} x', ''];
badJSON.forEach((text, i) => plugin(plugdir, name(`badjson${i}`), `#!/bin/sh\nprintf '%s' '${text.replace(/'/g, `'\\''`)}'\n`));
plugin(plugdir, 'ps', `#!/bin/sh\n${meta()}echo plugin-ps\n`);
plugin(plugdir, 'Upper', `#!/bin/sh\n${meta()}\n`);
mkdirSync(join(plugdir, `docker-${name('adir')}`));

/** The lines of the root help that come from plugins: '*' rows and the Invalid Plugins section. */
function pluginLines(help: string): string {
  const lines = help.split('\n');
  const stars = lines.filter((l) => /^ {2}\S+\* /.test(l));
  const i = lines.indexOf('Invalid Plugins:');
  const invalid = i < 0 ? [] : lines.slice(i, lines.indexOf('', i));
  return [...stars, ...invalid].join('\n').replace(/\btdocker\b/g, 'docker');
}

test('root help lists valid plugins among the management commands and invalid ones with their reasons, as docker', async () => {
  const { ref, ours } = await both(['--help'], { env });
  assert.equal(ours.code, 0);
  const want = pluginLines(ref.stdout);
  assert.match(want, new RegExp(`${hello}\\* +Say hello`));
  assert.match(want, /Invalid Plugins:/);
  assert.equal(pluginLines(ours.stdout), want);
  // docker help and the bare command (help on stderr) list them too
  assert.equal(pluginLines((await tdocker(['help'], { env })).stdout), want);
  assert.equal(pluginLines((await tdocker([], { env })).stderr), want);
});

test('a plugin runs with all our arguments, docker environment and socket; its exit status is ours', async () => {
  const { ref, ours } = await both(['--debug', hello, 'a', '--b', '-c'], { env });
  assert.equal(ref.code, 7);
  assert.equal(ours.code, 7);
  assert.equal(ours.stdout, ref.stdout);
  assert.match(ours.stdout, /^args: --debug \S+ a --b -c\norig=set sock=set\notel=docker.cli.cobra.command_path=docker%20\S+\n$/);
  const x = await both([fromExtra], { env });
  assert.equal(x.ours.stdout, 'extra\n');
  assert.equal(x.ours.stdout, x.ref.stdout);
});

test('help PLUGIN and completion within a plugin\'s arguments run the plugin, as docker', async () => {
  for (const args of [['help', hello], ['__complete', hello, 'x', ''], ['__completeNoDesc', hello, '']]) {
    const { ref, ours } = await both(args, { env });
    assert.equal(ours.code, ref.code);
    assert.equal(ours.stdout.split('\n')[0], ref.stdout.split('\n')[0]);
  }
  const names = await both(['__complete', hello.slice(0, 4)], { env });
  assert.equal(names.ours.stdout, names.ref.stdout.split('\n').filter((l) => !/^(builder|bake|buildx)\t/.test(l)).join('\n'));
});

test('a built-in command wins over a plugin of its name; invalid plugins are unknown commands', async () => {
  const ps = await tdocker(['ps', '--help'], { env });
  assert.match(ps.stdout, /^Usage: {2}tdocker ps \[OPTIONS\]/);
  for (const n of [name('badschema'), name('noexec'), 'nosuch' + tag]) {
    const { ref, ours } = await both([n], { env });
    assert.equal(ours.code, ref.code);
    assert.equal(ours.stderr, ref.stderr);
    assert.equal(ours.stdout, '');
  }
});

test('invalid metadata is reported with Go\'s json error texts, as docker', async () => {
  const { ref, ours } = await both(['--help'], { env });
  const rows = (t: string): string[] => t.split('\n').filter((l) => l.includes(`badjson`) && l.includes(tag));
  assert.equal(rows(ref.stdout).length, badJSON.length);
  assert.match(rows(ref.stdout).join('\n'), /invalid metadata: invalid character 'i' looking for beginning of object key string/);
  assert.deepEqual(rows(ours.stdout), rows(ref.stdout));
});

test('--version before a plugin\'s name runs the plugin; before a command, the command', async () => {
  for (const args of [['--version', hello, 'x'], ['-v', hello], ['--version', 'version', '--format', '{{.Client.Version}}'], ['--version', 'nosuch' + tag]]) {
    const { ref, ours } = await both(args, { env });
    assert.equal(ours.code, ref.code, args.join(' '));
    assert.equal(ours.stdout.replace(/tdocker/g, 'docker').replace(/build \S+/, 'build X'), ref.stdout.replace(/build \S+/, 'build X'), args.join(' '));
  }
});

test('--help after an unknown command or an invalid plugin prints the root help (exit 0); other flags are checked', async () => {
  const cmds = (t: string): string => t.split('\n').filter((l) => /^ {2}\S+\* /.test(l) || /^Usage:/.test(l)).join('\n');
  for (const args of [['nosuch' + tag, '--help'], [name('badschema'), '--help'], ['nosuch' + tag, 'x', '-D', '-h']]) {
    const { ref, ours } = await both(args, { env });
    assert.equal(ref.code, 0);
    assert.equal(ours.code, 0, args.join(' '));
    assert.equal(ours.stderr, ref.stderr);
    assert.equal(cmds(ours.stdout).replace(/tdocker/g, 'docker'), cmds(ref.stdout));
    assert.match(ours.stdout, /A self-sufficient runtime for containers/);
  }
  for (const args of [['nosuch' + tag, '--bad', '--help'], ['container', 'nosuch', '--help'], ['container', 'nosuch', '-D'], ['container', 'nosuch', '-h']]) {
    const { ref, ours } = await both(args, { env });
    assert.equal(ours.code, ref.code, args.join(' '));
    assert.equal(ours.stdout.replace(/tdocker/g, 'docker'), ref.stdout, args.join(' '));
    assert.equal(ours.stderr.replace(/tdocker/g, 'docker'), ref.stderr, args.join(' '));
  }
});

/** Run a program in a process group of its own; resolve when its stdout shows `ready`. */
function startGroup(program: string, args: string[]): { done: Promise<{ code: number | null; out: string; err: string }>; ready: Promise<number> } {
  const child = spawn(program, args, { env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let signalReady!: (pid: number) => void;
  const ready = new Promise<number>((r) => (signalReady = r));
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('ready\n')) signalReady(child.pid!);
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<{ code: number | null; out: string; err: string }>((r) => child.on('close', (code) => r({ code, out, err })));
  return { done, ready };
}

const ctrlc = name('ctrlc');
plugin(plugdir, ctrlc, `#!/bin/sh\n${meta()}trap 'echo got INT; exit 130' INT\necho ready\nwhile :; do sleep 1; done\n`);

test('Ctrl-C (SIGINT to the process group) reaches the plugin; its status comes back', async () => {
  for (const program of [DOCKER, TDOCKER]) {
    const r = startGroup(program, [ctrlc]);
    const pid = await r.ready;
    process.kill(-pid, 'SIGINT');
    const res = await r.done;
    assert.equal(res.code, 130, program);
    assert.equal(res.out, 'ready\ngot INT\n', program);
  }
});

// a plugin that connects to the plugin socket as a Go plugin does (an exact-length address) and
// ends when the CLI closes it
const sock = name('sock');
plugin(
  plugdir,
  sock,
  `#!/usr/bin/env python3
import os, socket, sys, signal
if sys.argv[1:2] == ['docker-cli-plugin-metadata']:
    print('{"SchemaVersion":"0.1.0","Vendor":"t"}'); sys.exit(0)
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
addr = os.environ['DOCKER_CLI_PLUGIN_SOCKET']
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect('\\0' + addr[1:] if addr.startswith('@') else addr)
print('ready', flush=True)
s.recv(1)
print('socket closed', flush=True)
sys.exit(5)
`,
);

test('a signal to the CLI alone closes the plugin socket (the cue for the plugin to stop)', async () => {
  const r = startGroup(TDOCKER, [sock]);
  const pid = await r.ready;
  process.kill(pid, 'SIGTERM');
  const res = await r.done;
  assert.equal(res.out, 'ready\nsocket closed\n');
  assert.equal(res.code, 5);
});

test('reference check: the reference docker sees the same plugins', async () => {
  const r = await docker(['--help'], { env });
  assert.match(r.stdout, new RegExp(`${fromExtra}\\* +From the extra dir`));
});
