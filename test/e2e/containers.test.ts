import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, sameAsDocker, tdocker, uniqueName } from '../helpers/run.js';

const created: string[] = [];
const name = (p: string): string => {
  const n = uniqueName(p);
  created.push(n);
  return n;
};
after(async () => {
  if (created.length) await docker(['rm', '-f', ...created]);
});

async function running(prefix: string, ...extra: string[]): Promise<string> {
  const n = name(prefix);
  const r = await docker(['run', '-d', '--name', n, ...extra, 'busybox', 'sleep', '300']);
  assert.equal(r.code, 0, r.stderr);
  return n;
}

test('ps: table, quiet, filters and templates as docker prints them', async () => {
  const web = await running('ps-web', '-p', '127.0.0.1::80', '--label', 'tier=front');
  const ex = name('ps-ex');
  await docker(['run', '--name', ex, '--label', 'tier=back', 'busybox', 'sh', '-c', 'exit 3']);
  const f = ['--filter', `name=${web}`];
  await sameAsDocker(['ps', ...f]);
  await sameAsDocker(['ps', '-a', '--no-trunc', '--filter', `name=${ex}`]);
  await sameAsDocker(['ps', '-a', '--filter', `name=${ex}`, '--format', '{{.Names}} {{.Status}} {{.Command}} {{.Label "tier"}}']);
  await sameAsDocker(['ps', '-a', '--filter', 'exited=3', '--filter', `name=${ex}`, '--format', '{{.Names}}']);
  await sameAsDocker(['ps', ...f, '--format', 'table {{.Names}}\t{{.Ports}}\t{{.Labels}}']);
  await sameAsDocker(['ps', ...f, '--format', '{{json .Names}} {{.Names | upper}} {{printf "%-10s|" .State}}']);
  await sameAsDocker(['ps', '-a', '--filter', `name=${ex}`, '--format', 'json']);
  await sameAsDocker(['ps', '-s', ...f, '--format', '{{.Names}} {{.Size}}']);
  await sameAsDocker(['container', 'ls', '-q', ...f]);
  await sameAsDocker(['ps', '--format', '{{.Nope}}']);
  await sameAsDocker(['ps', '--format', '{{.Names']);
  await sameAsDocker(['ps', '--filter', 'bogus=1']);
  await sameAsDocker(['ps', '-n', 'notanumber']);
  // docker's NewContainerFormat: "raw" (and its -q and -s forms); -q wins over any --format, with a warning
  const cr = name('ps-raw');
  await docker(['create', '--name', cr, '--label', 'k=v', 'busybox', 'true']);
  const g = ['-a', '--filter', `name=${cr}`];
  await sameAsDocker(['ps', ...g, '--format', 'raw']);
  await sameAsDocker(['ps', ...g, '-s', '--format', 'raw']);
  await sameAsDocker(['ps', ...g, '-q', '--format', 'raw']);
  await sameAsDocker(['ps', ...g, '-q', '--format', '{{.Names}}']);
  await sameAsDocker(['ps', ...g, '-q', '--format', 'table']);
});

test('inspect: JSON array, typed templates, map fallback and errors', async () => {
  const c = await running('insp', '--label', 'app=demo', '-e', 'A=1');
  await sameAsDocker(['inspect', '--format', '{{.State.Status}} {{.State.Running}} {{json .Config.Labels}} {{index .Config.Labels "app"}}', c]);
  await sameAsDocker(['inspect', '--format', '{{.State}}', c]);
  await sameAsDocker(['inspect', '-f', '{{.State.Pid | printf "%T"}} {{len .Config.Env}} {{.Config.Cmd}}', c]);
  await sameAsDocker(['inspect', '--format', '{{.State.Nope}}', c]);
  await sameAsDocker(['inspect', '--format', '{{.ID}} {{.RootFS.Layers}} {{.Size}}', 'busybox']);
  await sameAsDocker(['inspect', '--format', '{{.Name}}', c, 'nosuchthing-td']);
  await sameAsDocker(['inspect', '--type', 'volume', c]);
  await sameAsDocker(['inspect', '--type', 'bogus', c]);
  await sameAsDocker(['container', 'inspect', 'nosuch-td']);
  const json = await tdocker(['inspect', c]);
  assert.equal(json.code, 0);
  const ref = await docker(['inspect', c]);
  assert.equal(json.stdout, ref.stdout);
});

test('lifecycle: create, start, stop, restart, kill, pause, unpause, rename, wait, rm', async () => {
  const c = name('life');
  const cr = await tdocker(['create', '--name', c, 'busybox', 'sh', '-c', 'echo started; sleep 300']);
  assert.equal(cr.code, 0, cr.stderr);
  assert.match(cr.stdout, /^[0-9a-f]{64}\n$/);
  assert.equal((await tdocker(['start', c])).stdout, `${c}\n`);
  assert.equal((await tdocker(['pause', c])).stdout, `${c}\n`);
  assert.equal((await tdocker(['ps', '--filter', `name=${c}`, '--format', '{{.State}}'])).stdout, 'paused\n');
  assert.equal((await tdocker(['unpause', c])).stdout, `${c}\n`);
  assert.equal((await tdocker(['stop', '-t', '1', c])).stdout, `${c}\n`);
  assert.equal((await tdocker(['restart', '-t', '1', c])).stdout, `${c}\n`);
  assert.equal((await tdocker(['kill', '--signal=9', c])).stdout, `${c}\n`);
  assert.equal((await tdocker(['wait', c])).stdout, '137\n');
  const kill2 = await sameAsDocker(['kill', c]);
  assert.equal(kill2.code, 1);
  const c2 = name('life-renamed');
  assert.equal((await tdocker(['rename', c, c2])).code, 0);
  assert.equal((await tdocker(['logs', c2])).stdout, 'started\nstarted\n');
  assert.equal((await tdocker(['rm', c2])).stdout, `${c2}\n`);
  await sameAsDocker(['rm', c2]);
  await sameAsDocker(['stop', 'nosuch-td', 'other-td']);
  await sameAsDocker(['start', 'nosuch-td', 'other-td']);
  await sameAsDocker(['rename', 'nosuch-td', 'x']);
  await sameAsDocker(['rm', '-f', 'nosuch-td']);
  await sameAsDocker(['kill', '--signal=NOTASIGNAL', 'nosuch-td']);
});

test('logs: streams, tail, timestamps', async () => {
  const c = name('logs');
  await docker(['run', '--name', c, 'busybox', 'sh', '-c', 'echo err >&2; for i in 1 2 3 4 5; do echo line $i; done']);
  const r = await tdocker(['logs', c]);
  assert.equal(r.stdout, 'line 1\nline 2\nline 3\nline 4\nline 5\n');
  assert.equal(r.stderr, 'err\n');
  // the engine's log interleaves the two streams in the order it got them: compare with docker's reading
  await sameAsDocker(['logs', '--tail', '2', c]);
  await sameAsDocker(['logs', '-t', '--tail', '1', c]);
  assert.match((await tdocker(['logs', '-t', c])).stdout, /^\d{4}-\d\d-\d\dT\S+Z line 1\n/);
  await sameAsDocker(['logs', 'nosuch-td']);
  // -f ends when the container stops
  const f = name('logsf');
  await docker(['run', '-d', '--name', f, 'busybox', 'sh', '-c', 'echo a; sleep 1; echo b']);
  assert.equal((await tdocker(['logs', '-f', f])).stdout, 'a\nb\n');
});

test('top, port, diff, commit', async () => {
  const c = await running('tp', '-p', '127.0.0.1:0:80', '-p', '127.0.0.1:0:82/udp');
  assert.match((await tdocker(['top', c])).stdout, /^UID +PID +PPID +C +STIME +TTY +TIME +CMD\n/);
  await sameAsDocker(['port', c]);
  await sameAsDocker(['port', c, '80']);
  await sameAsDocker(['port', c, '80/tcp']);
  await sameAsDocker(['port', c, '81']);
  const m = name('diff');
  await docker(['run', '--name', m, 'busybox', 'sh', '-c', 'mkdir /newdir && echo x > /newdir/f && rm /bin/yes']);
  const sortLines = (t: string): string => t.split('\n').sort().join('\n');
  assert.equal(sortLines((await tdocker(['diff', m])).stdout), sortLines((await docker(['diff', m])).stdout));
  assert.equal(sortLines((await tdocker(['diff', m])).stdout), sortLines('C /bin\nD /bin/yes\nA /newdir\nA /newdir/f\n'));
  const img = `${uniqueName('tdcommit')}:1`;
  const cm = await tdocker(['commit', '-m', 'msg', '-c', 'ENV X=1', m, img]);
  assert.match(cm.stdout, /^sha256:[0-9a-f]{64}\n$/);
  assert.equal((await docker(['run', '--rm', img, 'sh', '-c', 'cat /newdir/f; echo $X'])).stdout, 'x\n1\n');
  await docker(['rmi', img]);
});

test('cp and export', async () => {
  const c = await running('cp');
  const dir = mkdtempSync(join(tmpdir(), 'tdcp-'));
  writeFileSync(join(dir, 'f.txt'), 'hello\n');
  assert.equal((await tdocker(['cp', join(dir, 'f.txt'), `${c}:/tmp/f.txt`])).code, 0);
  assert.equal((await docker(['exec', c, 'cat', '/tmp/f.txt'])).stdout, 'hello\n');
  assert.equal((await tdocker(['cp', `${c}:/etc`, join(dir, 'etc-copy')])).code, 0);
  assert.ok(readdirSync(join(dir, 'etc-copy')).includes('passwd'));
  assert.equal(readFileSync(join(dir, 'etc-copy', 'passwd'), 'utf8'), (await docker(['exec', c, 'cat', '/etc/passwd'])).stdout);
  await sameAsDocker(['cp', `${c}:/nope`, dir]);
  await sameAsDocker(['cp', join(dir, 'nofile'), `${c}:/tmp`]);
  const out = join(dir, 'box.tar');
  assert.equal((await tdocker(['export', '-o', out, c])).code, 0);
  assert.ok(existsSync(out));
  const ref = await docker(['export', c]);
  const ours = await tdocker(['export', c]);
  assert.equal(ours.stdout.length, ref.stdout.length);
});

test('container prune only what its filter selects', async () => {
  const label = uniqueName('prune');
  const c = name('prune');
  await docker(['create', '--name', c, '--label', `${label}=1`, 'busybox', 'true']);
  const r = await tdocker(['container', 'prune', '-f', '--filter', `label=${label}`]);
  assert.match(r.stdout, /^Deleted Containers:\n[0-9a-f]{64}\n\nTotal reclaimed space: 0B\n$/);
  const again = await tdocker(['container', 'prune', '-f', '--filter', `label=${label}`]);
  assert.equal(again.stdout, 'Total reclaimed space: 0B\n');
  const declined = await tdocker(['container', 'prune', '--filter', `label=${label}`], { input: 'n\n' });
  assert.equal(declined.stdout, 'WARNING! This will remove all stopped containers.\nAre you sure you want to continue? [y/N] ');
});

test('stats --no-stream and update', async () => {
  const c = await running('stats');
  const r = await tdocker(['stats', '--no-stream', c]);
  assert.match(r.stdout, /^CONTAINER ID +NAME +CPU % +MEM USAGE \/ LIMIT +MEM % +NET I\/O +BLOCK I\/O +PIDS\n[0-9a-f]{12} +\S+ +\d+\.\d\d% +\S+ \/ \S+ +\d+\.\d\d% +\S+ \/ \S+ +\S+ \/ \S+ +1\n$/);
  const j = JSON.parse((await tdocker(['stats', '--no-stream', '--format', 'json', c])).stdout);
  assert.deepEqual(Object.keys(j), ['BlockIO', 'CPUPerc', 'Container', 'ID', 'MemPerc', 'MemUsage', 'Name', 'NetIO', 'PIDs']);
  await sameAsDocker(['stats', '--no-stream', 'nosuch-td']);
  assert.equal((await tdocker(['update', '--memory', '64m', '--memory-swap', '128m', '--restart', 'on-failure:3', c])).stdout, `${c}\n`);
  assert.equal((await docker(['inspect', '--format', '{{.HostConfig.Memory}} {{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}', c])).stdout, '67108864 on-failure:3\n');
  await sameAsDocker(['update', c]);
  await sameAsDocker(['update', '--restart', 'always', 'nosuch-td']);
});
