/**
 * bin/tdocker's choice between the startup snapshot (dist/tdocker.blob) and the code-cache path
 * (bin/launch.cjs): node aborts on a snapshot another node build made, or with V8 flags in
 * NODE_OPTIONS, so every such case must start from the code cache and still work. Run on a copy of
 * bin/ and dist/ (the build's), traced with sh -x to see which node command the launcher ran.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, utimesSync, writeFileSync, readFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(import.meta.dirname, '..', '..');
let dir: string;

before(() => {
  assert.ok(existsSync(join(repo, 'dist', 'tdocker.blob')), 'npm run build made no startup snapshot');
  dir = mkdtempSync(join(tmpdir(), 'tdocker-launcher-'));
  cpSync(join(repo, 'bin'), join(dir, 'bin'), { recursive: true });
  cpSync(join(repo, 'dist'), join(dir, 'dist'), { recursive: true, preserveTimestamps: true });
  // the copied installation's modules resolve from the repository's node_modules
  cpSync(join(repo, 'package.json'), join(dir, 'package.json'));
  spawnSync('ln', ['-s', join(repo, 'node_modules'), join(dir, 'node_modules')]);
});

after(() => rmSync(dir, { recursive: true, force: true }));

function launch(args: string[], env: NodeJS.ProcessEnv = {}): { path: 'snapshot' | 'code cache' | 'none'; stdout: string; stderr: string; code: number | null } {
  const e: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete e.NODE_OPTIONS;
  if (env.NODE_OPTIONS !== undefined) e.NODE_OPTIONS = env.NODE_OPTIONS;
  const r = spawnSync('sh', ['-x', join(dir, 'bin', 'tdocker'), ...args], { encoding: 'utf8', env: e });
  const trace = r.stderr.split('\n').filter((l) => l.startsWith('+ exec node'));
  const path = trace.some((l) => l.includes('--snapshot-blob')) ? 'snapshot' : trace.some((l) => l.includes('launch.cjs')) ? 'code cache' : 'none';
  return { path, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => !l.startsWith('+')).join('\n'), code: r.status };
}

const VERSION = /^Docker version 28\.2\.2, build /;

test('the snapshot starts tdocker when the node on PATH made it', () => {
  const r = launch(['--version']);
  assert.equal(r.path, 'snapshot', r.stderr);
  assert.match(r.stdout, VERSION);
  assert.equal(r.code, 0);
});

test('arguments and environment are the run\'s, not the build\'s; node reads no option of its own after --', () => {
  // --env-file after the command is tdocker's (node 20 would take it for its own without `--`)
  const r = launch(['--config', join(dir, 'nocfg'), 'version', '--format', '{{.Client.Os}}/{{.Client.Arch}} {{.Client.Version}}', '--env-file', 'x'], { DOCKER_HOST: 'unix:///nonexistent.sock' });
  assert.equal(r.path, 'snapshot');
  assert.match(r.stderr, /unknown flag: --env-file/);
  const ctx = launch(['context', 'show'], { DOCKER_CONTEXT: 'from-the-run' });
  assert.equal(ctx.path, 'snapshot');
  assert.equal(ctx.stdout, 'from-the-run\n');
});

test('NODE_OPTIONS set: the code cache (node would refuse the snapshot for V8 flags)', () => {
  const r = launch(['--version'], { NODE_OPTIONS: '--max-old-space-size=300' });
  assert.equal(r.path, 'code cache', r.stderr);
  assert.match(r.stdout, VERSION);
});

test('a bundle rebuilt after the snapshot: the code cache', () => {
  const later = new Date(Date.now() + 60_000);
  const cjs = join(dir, 'dist', 'tdocker.cjs');
  const before = statSync(cjs).mtime;
  utimesSync(cjs, later, later);
  try {
    const r = launch(['--version']);
    assert.equal(r.path, 'code cache', r.stderr);
    assert.match(r.stdout, VERSION);
  } finally {
    utimesSync(cjs, before, before);
  }
});

test('a snapshot made by another node (path or modification time): the code cache', () => {
  const stamp = join(dir, 'dist', 'tdocker.blob.node');
  const text = readFileSync(stamp, 'utf8');
  const { mtime } = statSync(stamp);
  try {
    writeFileSync(stamp, text.replace(/^.*\n/, '/opt/other/node\n'));
    utimesSync(stamp, mtime, mtime);
    let r = launch(['--version']);
    assert.equal(r.path, 'code cache', r.stderr);
    assert.match(r.stdout, VERSION);
    // same path, node replaced since (its modification time differs from the stamp's)
    writeFileSync(stamp, text);
    const other = new Date(mtime.getTime() - 86_400_000);
    utimesSync(stamp, other, other);
    r = launch(['--version']);
    assert.equal(r.path, 'code cache', r.stderr);
    assert.match(r.stdout, VERSION);
  } finally {
    writeFileSync(stamp, text);
    utimesSync(stamp, mtime, mtime);
  }
  assert.equal(launch(['--version']).path, 'snapshot');
});

test('no snapshot at all: the code cache', () => {
  const blob = join(dir, 'dist', 'tdocker.blob');
  const saved = `${blob}.saved`;
  cpSync(blob, saved, { preserveTimestamps: true });
  rmSync(blob);
  try {
    const r = launch(['--version']);
    assert.equal(r.path, 'code cache', r.stderr);
    assert.match(r.stdout, VERSION);
  } finally {
    cpSync(saved, blob, { preserveTimestamps: true });
    rmSync(saved);
  }
});
