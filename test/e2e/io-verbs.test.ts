import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { linkSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { both, docker, runProgram, tdocker, TDOCKER, uniqueName } from '../helpers/run.js';

const created: string[] = [];
const name = (p: string): string => {
  const n = uniqueName(p);
  created.push(n);
  return n;
};
const work = mkdtempSync(join(tmpdir(), 'td-io-'));
let box = '';
const busy = 'busybox';

before(async () => {
  box = name('tdio');
  const r = await docker(['run', '-d', '--name', box, busy, 'sh', '-c', 'echo out1; echo err1 >&2; sleep 300']);
  assert.equal(r.code, 0, r.stderr);
  writeFileSync(join(work, 'f.txt'), 'hello\n');
  mkdirSync(join(work, 'd'));
  writeFileSync(join(work, 'd', 'a'), 'x\n');
});
after(async () => {
  if (created.length) await docker(['rm', '-f', ...created]);
  rmSync(work, { recursive: true, force: true });
});
/** Same stdout, stderr and status as docker (with the container's name the same for both). */
async function same(args: string[], cwd = work): Promise<void> {
  const { ref, ours } = await both(args, { cwd });
  assert.deepEqual({ out: ours.stdout, err: ours.stderr, code: ours.code }, { out: ref.stdout, err: ref.stderr, code: ref.code });
}

test('logs: stdout and stderr frames go to their own streams', async () => {
  const r = await tdocker(['logs', box]);
  assert.equal(r.stdout, 'out1\n');
  assert.equal(r.stderr, 'err1\n');
  assert.equal(r.code, 0);
  await same(['logs', '--tail', '0', box]);
  await same(['logs', '--since', '1h', box]);
  await same(['logs', '--until', '1h', box]);
  await same(['logs', '--details', box]);
});

test('logs: bad --since/--until values and missing containers as docker', async () => {
  await same(['logs', '--since', 'bogus', box]);
  await same(['logs', '--until', '1x', box]);
  await same(['logs', 'nosuch-tdio']);
  await same(['logs']);
});

test('logs -f ends when the container stops; a TTY container is streamed raw', async () => {
  const f = name('tdiof');
  await docker(['run', '-d', '--name', f, busy, 'sh', '-c', 'echo a; sleep 1; echo b >&2; echo c']);
  const r = await tdocker(['logs', '-f', f]);
  assert.equal(r.stdout, 'a\nc\n');
  assert.equal(r.stderr, 'b\n');
  const t = name('tdiot');
  await docker(['run', '-d', '-t', '--name', t, busy, 'sh', '-c', 'echo tty-out; echo tty-err >&2']);
  await docker(['wait', t]);
  const tr = await tdocker(['logs', t]);
  assert.equal(tr.stdout, 'tty-out\r\ntty-err\r\n');
  assert.equal(tr.stderr, '');
});

test('logs: many short lines arrive complete and in order', async () => {
  const c = name('tdiom');
  await docker(['run', '--name', c, busy, 'sh', '-c', 'seq 1 50000']);
  const r = await tdocker(['logs', c]);
  const lines = r.stdout.split('\n');
  assert.equal(lines.length, 50001);
  assert.equal(lines[49999], '50000');
  assert.equal(r.stdout, (await docker(['logs', c])).stdout);
});

test('cp: both directions and tar streams', async () => {
  const r = await tdocker(['cp', 'f.txt', `${box}:/tmp/f.txt`], { cwd: work });
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', '']);
  assert.equal((await docker(['exec', box, 'cat', '/tmp/f.txt'])).stdout, 'hello\n');
  assert.equal((await tdocker(['cp', 'd', `${box}:/tmp/newd`], { cwd: work })).code, 0);
  assert.equal((await docker(['exec', box, 'cat', '/tmp/newd/a'])).stdout, 'x\n');
  assert.equal((await tdocker(['cp', `${box}:/etc`, './etc-copy'], { cwd: work })).code, 0);
  assert.ok(readdirSync(join(work, 'etc-copy')).includes('passwd'));
  assert.equal((await tdocker(['cp', `${box}:/etc/hostname`, 'hn'], { cwd: work })).code, 0);
  assert.equal(readFileSync(join(work, 'hn'), 'utf8'), (await docker(['exec', box, 'cat', '/etc/hostname'])).stdout);
  const tarOut = await runProgram('sh', ['-c', `${TDOCKER} cp ${box}:/etc/passwd - | tar -tf -`]);
  assert.equal(tarOut.stdout, 'passwd\n');
  const tarIn = await runProgram('sh', ['-c', `tar -cf - d | ${TDOCKER} cp - ${box}:/etc`], { cwd: work });
  assert.equal(tarIn.code, 0, tarIn.stderr);
  assert.equal((await docker(['exec', box, 'cat', '/etc/d/a'])).stdout, 'x\n');
});

test('cp -L follows a link in the container; -a keeps owners', async () => {
  assert.equal((await tdocker(['cp', '-L', `${box}:/bin/sh`, 'shbin'], { cwd: work })).code, 0);
  const ls = await runProgram('sh', ['-c', 'test -L shbin || test -f shbin && echo regular'], { cwd: work });
  assert.equal(ls.stdout, 'regular\n');
  assert.equal((await tdocker(['cp', '-a', 'f.txt', `${box}:/tmp/owned`], { cwd: work })).code, 0);
  const uid = (await runProgram('id', ['-u'])).stdout.trim();
  assert.equal((await docker(['exec', box, 'stat', '-c', '%u', '/tmp/owned'])).stdout.trim(), uid);
});

test('cp: errors as docker', async () => {
  await same(['cp', `${box}:/nope`, '.']);
  await same(['cp', `nosuch-tdio:/nope`, '.']);
  await same(['cp', 'f.txt', 'g.txt']);
  await same(['cp', `${box}:/a`, `${box}:/b`]);
  // docker also logs its tar writer's broken pipe here: compare the error itself
  const slash = await both(['cp', 'f.txt', `${box}:/etc/hostname/`], { cwd: work });
  assert.deepEqual([slash.ours.code, slash.ours.stderr], [1, 'no such directory\n']);
  // (docker's log lines of its tar writer may come before or after its error)
  assert.ok(slash.ref.stderr.split('\n').includes('no such directory'), slash.ref.stderr);
  const dir = await both(['cp', 'd', `${box}:/etc/hostname`], { cwd: work });
  assert.deepEqual([dir.ours.code, dir.ours.stderr], [1, 'cannot copy directory\n']);
  assert.ok(dir.ref.stderr.split('\n').includes('cannot copy directory'), dir.ref.stderr);
  await same(['cp', 'f.txt/', `${box}:/tmp/`]);
  await same(['cp', `${box}:/etc/hostname`, '/dev/null']);
  await same(['cp', `${box}:/etc/hostname`, '/etc/passwd/x']);
  await same(['cp', '', `${box}:/tmp`]);
  await same(['cp', `${box}:/tmp`, '']);
  await same(['cp']);
  await same(['container', 'cp', 'x']);
  const missing = await both(['cp', 'nofile', `${box}:/tmp/`], { cwd: work });
  assert.equal(missing.ours.stderr, missing.ref.stderr);
  assert.equal(missing.ours.stderr, `lstat ${join(work, 'nofile')}: no such file or directory\n`);
  const nodir = await both(['cp', `${box}:/etc/hostname`, 'nodir/x'], { cwd: work });
  assert.equal(nodir.ours.stderr, `invalid output path: directory "${join(work, 'nodir')}" does not exist\n`);
  assert.equal(nodir.ours.stderr, nodir.ref.stderr);
  const stdin = await runProgram('sh', ['-c', `tar -cf - f.txt | ${TDOCKER} cp - ${box}:/etc/hostname`], { cwd: work });
  assert.deepEqual([stdin.code, stdin.stderr], [1, `destination "${box}:/etc/hostname" must be a directory\n`]);
});

test('cp prints docker\'s summary line on stderr only when stdout is a terminal', async () => {
  const run = async (bin: string, cmd: string): Promise<string> => {
    const r = await runProgram('script', ['-qec', `${bin} ${cmd} 2>&1 >/dev/null; ${bin} ${cmd}`, '/dev/null'], { cwd: work });
    return r.stdout;
  };
  for (const cmd of [`cp f.txt ${box}:/tmp/f2.txt`, `cp ${box}:/etc/hostname ${join(work, 'hn2')}`, `cp -q f.txt ${box}:/tmp/f3.txt`]) {
    const ref = await run('docker', cmd);
    const ours = await run(TDOCKER, cmd);
    assert.equal(ours, ref, cmd);
  }
  assert.equal(await run(TDOCKER, `cp f.txt ${box}:/tmp/f2.txt`), `Successfully copied 2.05kB to ${box}:/tmp/f2.txt\r\n`);
});

test('export: stdout, -o, and docker\'s refusals', async () => {
  const n = await runProgram('sh', ['-c', `${TDOCKER} export ${box} | tar -tf - | grep -c '^etc/'`]);
  const ref = await runProgram('sh', ['-c', `docker export ${box} | tar -tf - | grep -c '^etc/'`]);
  assert.equal(n.stdout, ref.stdout);
  const r = await tdocker(['export', '-o', 'box.tar', box], { cwd: work });
  assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', '']);
  assert.match((await runProgram('tar', ['-tf', 'box.tar'], { cwd: work })).stdout, /^etc\/passwd$/m);
  await same(['export', '-o', '/tmp', box]);
  await same(['export', '-o', '/etc/passwd/x', box]);
  await same(['export', '-o', 'nodir/x.tar', box]);
  await same(['export', '-o', '/dev/null', box]);
  await same(['export', '-o', join(work, 'x.tar'), 'nosuch-tdio']);
  assert.deepEqual(readdirSync(work).filter((f) => f.startsWith('x.tar')), []);
  const tty = await runProgram('script', ['-qec', `${TDOCKER} export ${box}; echo status $?`, '/dev/null']);
  assert.equal(tty.stdout, 'cowardly refusing to save to a terminal. Use the -o flag or redirect\r\nstatus 1\r\n');
});

test('stats --no-stream: formats, missing containers', async () => {
  await same(['stats', '--no-stream', '--format', '{{.Name}} {{.Container}}', box]);
  await same(['stats', '--no-stream', 'nosuch-tdio']);
  const r = await tdocker(['stats', '--no-stream', box]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^CONTAINER ID +NAME +CPU % +MEM USAGE \/ LIMIT +MEM % +NET I\/O +BLOCK I\/O +PIDS\n[0-9a-f]{12} +tdio-\w+ +\d+\.\d\d% +/);
  const t = await tdocker(['stats', '--no-stream', '--no-trunc', '--format', '{{.ID}}', box]);
  assert.match(t.stdout, /^[0-9a-f]{64}\n$/);
});

/** A directory tree as text: each path, a link's target, a file's content. */
function listTree(dir: string): string {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const n of readdirSync(join(dir, rel)).sort()) {
      const p = rel ? `${rel}/${n}` : n;
      const st = lstatSync(join(dir, p));
      if (st.isSymbolicLink()) out.push(`${p} -> ${readlinkSync(join(dir, p))}`);
      else if (st.isDirectory()) {
        out.push(`${p}/`);
        walk(p);
      } else out.push(`${p}: ${readFileSync(join(dir, p), 'utf8').trim()}`);
    }
  };
  walk('');
  return out.join('\n');
}

const LIST_SH = 'find . | sort | while read f; do if [ -L "$f" ]; then echo "$f -> $(readlink $f)"; elif [ -f "$f" ]; then echo "$f: $(cat $f)"; else echo "$f/"; fi; done';

test('cp out of a container: every source form (file, dir, dir/, dir/., link, -L) into every destination kind, as docker', async () => {
  const c = name('tdcpout');
  assert.equal((await docker(['run', '-d', '--name', c, busy, 'sh', '-c', 'mkdir -p /src/sub && echo a > /src/a && echo b > /src/sub/b && echo f > /file && ln -s /src /srclink && sleep 300'])).code, 0);
  const cases: [string[], string, (d: string) => void][] = [];
  const none = (): void => {};
  const file = (d: string): void => writeFileSync(join(d, 'exists'), 'old\n');
  const dir = (d: string): void => mkdirSync(join(d, 'dir'));
  const dirLink = (d: string): void => {
    mkdirSync(join(d, 'dir'));
    symlinkSync('dir', join(d, 'link'));
  };
  const fileLink = (d: string): void => {
    writeFileSync(join(d, 'tgt'), 'old\n');
    symlinkSync('tgt', join(d, 'flink'));
  };
  const dangling = (d: string): void => symlinkSync('nowhere', join(d, 'dangling'));
  for (const src of ['/file', '/src', '/src/', '/src/.', '/srclink', '/srclink/', '/srclink/.']) {
    for (const [dst, setup] of [['new', none], ['new/', none], ['exists', file], ['dir', dir], ['link', dirLink], ['flink', fileLink], ['dangling', dangling]] as const) {
      cases.push([[`${c}:${src}`, dst], `${src} -> ${dst}`, setup]);
    }
  }
  cases.push([['-L', `${c}:/srclink`, 'new'], '-L /srclink -> new', none], [['-L', `${c}:/srclink/`, 'dir'], '-L /srclink/ -> dir', dir]);
  for (const [args, what, setup] of cases) {
    const results = [];
    for (const run of [docker, tdocker]) {
      const d = mkdtempSync(join(work, 'cpout-'));
      setup(d);
      const r = await run(['cp', ...args], { cwd: d });
      results.push({ code: r.code, stderr: r.stderr.split(d).join('<dir>'), tree: listTree(d) });
    }
    assert.deepEqual(results[1], results[0], what);
  }
});

test('cp into a container: every source form (file, dir, dir/, dir/., link, -L) onto every destination kind, links at the destination followed, as docker', async () => {
  const c = name('tdcpin');
  assert.equal((await docker(['run', '-d', '--name', c, busy, 'sleep', '300'])).code, 0);
  const local = mkdtempSync(join(work, 'cpin-'));
  mkdirSync(join(local, 'src', 'sub'), { recursive: true });
  writeFileSync(join(local, 'src', 'a'), 'a\n');
  writeFileSync(join(local, 'src', 'x.txt'), 'x\n');
  writeFileSync(join(local, 'src', 'sub', 'b'), 'b\n');
  // a hard link goes as a link entry to the first name (two names, one file, in the container too)
  linkSync(join(local, 'src', 'a'), join(local, 'src', 'sub', 'hard'));
  writeFileSync(join(local, 'file'), 'f\n');
  symlinkSync('src', join(local, 'srclink'));
  symlinkSync('file', join(local, 'filelink'));
  const setups: [string, string][] = [
    ['new', 'true'], ['new/', 'true'], ['exists', 'echo old > exists'], ['dir', 'mkdir dir'], ['link', 'mkdir dir && ln -s dir link'],
    ['flink', 'echo old > tgt && ln -s tgt flink'], ['rlink', 'mkdir dir && ln -s "$PWD/dir" rlink'], ['dangling', 'ln -s nowhere dangling'],
  ];
  let n = 0;
  const cases: [string[], string, string][] = [];
  for (const src of ['file', 'src', 'src/', 'src/.', 'srclink', 'srclink/', 'srclink/.', 'filelink']) {
    for (const [dst, setup] of setups) cases.push([[src], dst, setup]);
  }
  cases.push([['-L', 'srclink'], 'new', 'true'], [['-L', 'srclink/'], 'new', 'true'], [['-L', 'filelink'], 'dir', 'mkdir dir'], [['-L', 'srclink'], 'dir', 'mkdir dir']);
  for (const [src, dst, setup] of cases) {
    const results = [];
    for (const run of [docker, tdocker]) {
      const root = `/w${n++}`;
      assert.equal((await docker(['exec', c, 'sh', '-c', `mkdir -p ${root} && cd ${root} && ${setup}`])).code, 0);
      const r = await run(['cp', ...src.slice(0, -1), src[src.length - 1], `${c}:${root}/${dst}`], { cwd: local });
      const tree = await docker(['exec', c, 'sh', '-c', `cd ${root} && ${LIST_SH.replace('echo "$f: $(cat $f)"', 'echo "$f: $(cat $f) x$(stat -c %h $f)"')}`]);
      // docker may also log its tar writer's broken pipe: compare the error lines only
      const stderr = r.stderr.split('\n').filter((l) => !l.startsWith('time=')).join('\n').split(root).join('<root>');
      results.push({ code: r.code, stderr, tree: tree.stdout.split(root).join('<root>') });
    }
    assert.deepEqual(results[1], results[0], `${src.join(' ')} -> ${dst} (${setup})`);
  }
});
