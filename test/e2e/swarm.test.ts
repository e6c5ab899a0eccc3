/**
 * Swarm mode on the shared engine, differential against docker 28: one short-lived single-node swarm for
 * the whole file (tests run in order), always left in after().
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { both, docker, normalize, sameAsDocker, tdocker, TDOCKER, uniqueName, type RunResult } from '../helpers/run.js';

let joined = false;
const dir = mkdtempSync(join(tmpdir(), 'tdswarm-'));

before(async () => {
  const state = (await docker(['info', '--format', '{{.Swarm.LocalNodeState}}'])).stdout.trim();
  assert.equal(state, 'inactive', 'the engine is already in a swarm: another test owns it');
});

after(async () => {
  if (joined) await docker(['swarm', 'leave', '--force']);
  rmSync(dir, { recursive: true, force: true });
  // nothing left: the swarm this file made (and with it its services, secrets and configs) is gone
  if (joined) assert.equal((await docker(['info', '--format', '{{.Swarm.LocalNodeState}}'])).stdout.trim(), 'inactive');
});

const tokens = (s: string): string => s.replace(/SWMTKN-[^ \n]*/g, 'TOKEN').replace(/\(([a-z0-9]{25})\)/g, '(NODE)');
const nodeIds = (s: string): string => s.replace(/\b[a-z0-9]{25}\b/g, '<NODE>');

async function same(args: string[], fix: (s: string) => string = (s) => s): Promise<RunResult> {
  const { ref, ours } = await both(args, { cwd: dir });
  assert.deepEqual({ out: fix(normalize(ours.stdout)), err: fix(normalize(ours.stderr)), code: ours.code }, { out: fix(normalize(ref.stdout)), err: fix(normalize(ref.stderr)), code: ref.code }, args.join(' '));
  return ours;
}

async function converged(name: string, want: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    if ((await docker(['service', 'ls', '--filter', `name=${name}`, '--format', '{{.Replicas}}'])).stdout.trim() === want) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.fail(`service ${name} did not converge to ${want}`);
}

test('outside a swarm: docker\'s errors and statuses', async () => {
  await sameAsDocker(['node', 'ls']);
  await sameAsDocker(['service', 'ls']);
  await sameAsDocker(['swarm', 'leave']);
  await sameAsDocker(['stack', 'ls']);
});

test('swarm init, init twice, join-token, node ls', async () => {
  const init = await tdocker(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
  joined = init.code === 0;
  assert.equal(init.code, 0, init.stderr);
  assert.equal(tokens(init.stdout), "Swarm initialized: current node (NODE) is now a manager.\n\nTo add a worker to this swarm, run the following command:\n\n    docker swarm join --token TOKEN 127.0.0.1:2377\n\nTo add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions.\n");
  await same(['swarm', 'init', '--advertise-addr', '127.0.0.1']);
  await same(['swarm', 'join-token', 'worker']);
  await same(['swarm', 'join-token', '-q', 'manager']);
  await same(['swarm', 'join-token', 'nobody']);
  await same(['swarm', 'unlock-key']);
  await same(['swarm', 'unlock-key', '--rotate']);
  await same(['swarm', 'join', '--token', 'SWMTKN-1-x', '127.0.0.1:2377']);
  await same(['swarm', 'join', '--availability', 'sideways', '--token', 'x', '127.0.0.1:2377']);
  await same(['node', 'ls', '--format', '{{.Status}} {{.Availability}} {{.ManagerStatus}} {{.Self}}']);
  await same(['node', 'ls'], nodeIds);
  await same(['node', 'ls', '-q'], nodeIds);
  await same(['node', 'ls', '--format', 'json'], nodeIds);
});

test('service create, ls, ps, inspect, --pretty, scale, update, rollback, rm', async () => {
  const name = uniqueName('svc');
  try {
    const c = await tdocker(['service', 'create', '-d', '-q', '--name', name, '--replicas', '2', '--label', 'a=b', '--env', 'X=1', '-p', '18080:80', 'busybox', 'sleep', '300']);
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stdout, /^[a-z0-9]{25}\n$/);
    assert.equal(c.stderr, 'image busybox:latest could not be accessed on a registry to record\nits digest. Each node will access busybox:latest independently,\npossibly leading to different nodes running different\nversions of the image.\n\n');
    await converged(name, '2/2');
    await same(['service', 'ls', '--filter', `name=${name}`]);
    await same(['service', 'ls', '--filter', `name=${name}`, '--format', '{{.Name}} {{.Mode}} {{.Replicas}} {{.Image}} {{.Ports}}']);
    await same(['service', 'ls', '--filter', `name=${name}`, '--format', 'json']);
    await same(['service', 'ps', name, '--format', '{{.Name}} {{.Image}} {{.DesiredState}} {{.Node}}']);
    await same(['service', 'ps', '-q', name]);
    await same(['service', 'ps', name, 'nosuchsvc-td']);
    await same(['service', 'inspect', name], nodeIds);
    await same(['service', 'inspect', '--format', '{{.Spec.Name}} {{.Spec.Mode.Replicated.Replicas}} {{.Spec.TaskTemplate.ContainerSpec.Args}} {{.Spec.Labels}}', name]);
    await same(['service', 'inspect', '--pretty', name], nodeIds);
    await same(['service', 'scale', `${name}=1`, '-d']);
    await same(['service', 'scale', `${name}=x`, '-d']);
    await same(['service', 'scale', 'nosep']);
    assert.equal((await tdocker(['service', 'update', '-d', '--label-add', 'team=core', '--limit-memory', '64m', '--env-add', 'Y=2', name])).stdout, `${name}\n`);
    await same(['service', 'inspect', name, '--format', '{{.Spec.Labels}} {{.Spec.TaskTemplate.Resources.Limits.MemoryBytes}} {{.Spec.TaskTemplate.ContainerSpec.Env}}']);
    await same(['service', 'inspect', '--pretty', name], nodeIds);
    assert.equal((await tdocker(['service', 'rollback', '-d', name])).stdout, `${name}\n`);
    await same(['service', 'inspect', name, '--format', '{{.Spec.Labels}} {{.Spec.TaskTemplate.ContainerSpec.Env}}']);
    assert.equal((await tdocker(['service', 'rm', name])).stdout, `${name}\n`);
  } finally {
    await docker(['service', 'rm', name]);
  }
  await same(['service', 'rm', name]);
  await same(['service', 'inspect', name]);
  await same(['service', 'ps', name]);
});

test('service create: bad input gets docker\'s text and status', async () => {
  await same(['service', 'create', '--replicas', '-1', 'busybox']);
  await same(['service', 'create', '-p', 'notaport', 'busybox']);
  await same(['service', 'create', '--mode', 'global', '--replicas', '2', 'busybox']);
  await same(['service', 'create', '--limit-memory', 'lots', 'busybox']);
  await same(['service', 'create']);
});

test('bad input: unknown node, service, secret, config, task; invalid --publish; --replicas -1; stack files with errors', async () => {
  for (const args of [
    ['node', 'inspect', 'nosuch'], ['node', 'update', '--availability', 'active', 'nosuch'], ['node', 'rm', 'nosuch'], ['node', 'ps', 'nosuch'],
    ['service', 'inspect', 'nosuch'], ['service', 'ps', 'nosuch'], ['service', 'rm', 'nosuch'], ['service', 'scale', 'nosuch=2'], ['service', 'update', '--replicas', '2', 'nosuch'], ['service', 'logs', 'nosuch'],
    ['secret', 'inspect', 'nosuch'], ['secret', 'rm', 'nosuch'], ['config', 'inspect', 'nosuch'], ['config', 'rm', 'nosuch'], ['inspect', '--type', 'task', 'nosuch'],
    ['service', 'create', '--publish', '80:80:80', 'busybox'], ['service', 'create', '--publish', '8080:80/sctpx', 'busybox'], ['service', 'create', '--publish', '127.0.0.1:80:80/x', 'busybox'],
    ['service', 'create', '--publish', 'abc', 'busybox'], ['service', 'create', '--replicas', '-1', 'busybox'], ['service', 'create', '--replicas', 'x', 'busybox'],
    ['stack', 'ps', 'nosuchstack'], ['stack', 'rm', 'nosuchstack'], ['stack', 'deploy', '-c', 'nope.yml', 'st'],
  ]) await same(args);
  const files: Record<string, string> = {
    'unknown-key.yml': 'version: "3.8"\nservices:\n  a:\n    image: busybox\n    foo: 1\n',
    'no-image.yml': 'services:\n  a:\n    build: .\n    privileged: true\n',
    'bad-image.yml': 'services:\n  a:\n    image: "Busy Box"\n',
    'forbidden.yml': 'services:\n  a:\n    image: busybox\n    volumes_from: [b]\n    cpuset: "1"\n',
    'version.yml': 'version: "2"\nservices: {}\n',
    'list.yml': '- a\n',
    'interp.yml': 'services:\n  a:\n    image: "${"\n',
  };
  for (const [f, text] of Object.entries(files)) {
    writeFileSync(join(dir, f), text);
    await same(['stack', 'deploy', '-c', f, uniqueName('st')], (s) => s.replace(/td?st-[0-9a-f]{8}/g, 'ST'));
  }
});

test('a global service and a replicated job', async () => {
  const g = uniqueName('glob');
  try {
    assert.equal((await tdocker(['service', 'create', '-d', '-q', '--mode', 'global', '--name', g, 'busybox', 'sleep', '300'])).code, 0);
    await converged(g, '1/1');
    await same(['service', 'ls', '--filter', `name=${g}`, '--format', '{{.Name}} {{.Mode}} {{.Replicas}}']);
    await same(['service', 'inspect', '--pretty', g], nodeIds);
    await same(['service', 'scale', `${g}=2`, '-d']);
    // without -d: docker's plain progress lines until the service has converged (nothing more when the
    // engine had completed the update before the first poll; test/e2e/swarm-progress.test.ts compares them)
    const u = await tdocker(['service', 'update', '--label-add', 'x=y', g]);
    assert.equal(u.code, 0, u.stderr);
    assert.match(u.stdout, new RegExp(`^${g}\\n((.*\\n)*verify: Service ${g} converged\\n)?$`));
  } finally {
    await docker(['service', 'rm', g]);
  }
});

test('stack deploy with a secret, a config and an overlay network; ls, services, ps, rm', async () => {
  const st = uniqueName('st').replace('-', '');
  writeFileSync(join(dir, 'secret.txt'), 's3cret\n');
  writeFileSync(join(dir, 'conf.txt'), 'key=value\n');
  writeFileSync(
    join(dir, 'stack.yml'),
    'services:\n  web:\n    image: busybox\n    command: sleep 300\n    networks: [back]\n    secrets: [pw]\n    configs: [conf]\n    deploy:\n      replicas: 1\n      labels: {tier: web}\nnetworks:\n  back:\n    driver: overlay\nsecrets:\n  pw:\n    file: ./secret.txt\nconfigs:\n  conf:\n    file: ./conf.txt\n',
  );
  try {
    const d = await tdocker(['stack', 'deploy', '-c', 'stack.yml', st], { cwd: dir });
    assert.equal(d.code, 0, d.stderr);
    assert.deepEqual(d.stdout.split('\n').filter(Boolean).sort(), [`Creating config ${st}_conf`, `Creating network ${st}_back`, `Creating secret ${st}_pw`, `Creating service ${st}_web`].sort());
    assert.equal(d.stderr, 'Since --detach=false was not specified, tasks will be created in the background.\nIn a future release, --detach=false will become the default.\n');
    await converged(`${st}_web`, '1/1');
    await same(['stack', 'ls']);
    await same(['stack', 'services', st]);
    await same(['stack', 'services', st, '--format', '{{.Name}} {{.Replicas}} {{.Image}}']);
    await same(['stack', 'ps', st, '--format', '{{.Name}} {{.Image}} {{.DesiredState}}']);
    await same(['service', 'inspect', `${st}_web`, '--format', '{{.Spec.Labels}} {{range .Spec.TaskTemplate.ContainerSpec.Secrets}}{{.SecretName}} {{.File.Name}}{{end}} {{range .Spec.TaskTemplate.ContainerSpec.Configs}}{{.ConfigName}} {{.File.Name}}{{end}}']);
    // a second deploy updates the service
    const again = await tdocker(['stack', 'deploy', '-d', '-c', 'stack.yml', st], { cwd: dir });
    assert.match(again.stdout, new RegExp(`^Updating service ${st}_web \\(id: [a-z0-9]{25}\\)\\n$`));
    const rm = await tdocker(['stack', 'rm', st]);
    assert.equal(rm.stdout, `Removing service ${st}_web\nRemoving secret ${st}_pw\nRemoving config ${st}_conf\nRemoving network ${st}_back\n`);
  } finally {
    await docker(['stack', 'rm', st]);
  }
  await same(['stack', 'rm', st]);
  await same(['stack', 'services', st]);
  writeFileSync(join(dir, 'bad.yml'), 'services:\n  x:\n    image: busybox\n    deploy:\n      replicas: many\n');
  try {
    await same(['stack', 'deploy', '-c', 'bad.yml', st]);
  } finally {
    await docker(['stack', 'rm', st]);
  }
});

test('secret and config: create (file and stdin), ls, inspect, --pretty, rm, errors', async () => {
  const sec = uniqueName('sec');
  const cfg = uniqueName('cfg');
  writeFileSync(join(dir, 'data.txt'), 'hello=world\n');
  writeFileSync(join(dir, 'empty.txt'), '');
  try {
    const s = await tdocker(['secret', 'create', '--label', 'k=v', sec, 'data.txt'], { cwd: dir });
    assert.match(s.stdout, /^[a-z0-9]{25}\n$/, s.stderr);
    const c = await tdocker(['config', 'create', '--label', 'k=v', cfg, '-'], { input: 'a: 1\n' });
    assert.match(c.stdout, /^[a-z0-9]{25}\n$/, c.stderr);
    await same(['secret', 'ls', '--filter', `name=${sec}`], nodeIds);
    await same(['secret', 'ls', '--filter', `name=${sec}`, '--format', '{{.Name}} {{.Driver}} {{.Labels}} {{.Label "k"}}']);
    await same(['config', 'ls', '--filter', `name=${cfg}`], nodeIds);
    await same(['config', 'ls', '-q', '--filter', `name=${cfg}`], nodeIds);
    await same(['secret', 'inspect', sec], nodeIds);
    await same(['secret', 'inspect', '--pretty', sec], nodeIds);
    await same(['config', 'inspect', '--pretty', cfg], nodeIds);
    await same(['config', 'inspect', '--format', '{{.Spec.Name}} {{.Spec.Labels}}', cfg]);
    await same(['secret', 'create', sec, 'data.txt']);
    await same(['secret', 'create', uniqueName('sx'), 'empty.txt']);
    await same(['secret', 'create', uniqueName('sx'), 'nosuchfile.txt']);
    await same(['config', 'create', uniqueName('cx')]);
    await same(['secret', 'inspect', 'nosuchsecret-td']);
    // docker's own run would remove them first: tdocker removes them, then both fail alike
    const rm = await tdocker(['secret', 'rm', sec, 'nosuchsecret-td']);
    assert.deepEqual([rm.stdout, rm.stderr, rm.code], [`${sec}\n`, 'Error response from daemon: secret nosuchsecret-td not found\n', 1]);
    assert.equal((await tdocker(['config', 'rm', cfg])).stdout, `${cfg}\n`);
    await same(['secret', 'rm', sec]);
    await same(['config', 'rm', cfg]);
  } finally {
    await docker(['secret', 'rm', sec]);
    await docker(['config', 'rm', cfg]);
  }
});

test('node inspect (self, --pretty), ps, update, promote, demote, rm: docker\'s text', async () => {
  await same(['node', 'inspect', 'self'], nodeIds);
  await same(['node', 'inspect', '--format', '{{.Spec.Role}} {{.Spec.Availability}} {{.Status.State}}', 'self']);
  await same(['node', 'inspect', '--pretty', 'self'], nodeIds);
  await same(['node', 'inspect', 'nosuchnode-td']);
  await same(['node', 'ps', '--format', '{{.Name}}']);
  await same(['node', 'ps', 'nosuchnode-td']);
  await same(['node', 'promote', 'self'], nodeIds);
  await same(['node', 'update', '--label-add', 'zone=a', 'self']);
  await same(['node', 'inspect', '--format', '{{.Spec.Labels}}', 'self']);
  await same(['node', 'update', '--label-rm', 'nolabel', 'self']);
  await same(['node', 'update', '--label-rm', 'zone', 'self']);
  await same(['node', 'update', '--availability', 'sideways', 'self']);
  await same(['node', 'demote', 'self'], nodeIds);
  await same(['node', 'rm', 'nosuchnode-td']);
});

test('service logs: names, --raw, --no-task-ids, --no-trunc, --no-resolve, --details, --tail, --since, -t, a task, -f, errors', async () => {
  const name = uniqueName('logs');
  const tty = uniqueName('logtty');
  try {
    const c = await tdocker(['service', 'create', '-d', '-q', '--name', name, '--replicas', '2', 'busybox', 'sh', '-c', 'echo out1; echo "out 2"; echo err1 >&2; sleep 600']);
    assert.equal(c.code, 0, c.stderr);
    const t = await tdocker(['service', 'create', '-d', '-q', '--name', tty, '-t', 'busybox', 'sh', '-c', 'echo tty; sleep 600']);
    assert.equal(t.code, 0, t.stderr);
    for (let i = 0; ; i++) {
      const r = await docker(['service', 'logs', '--raw', name]);
      const r2 = await docker(['service', 'logs', '--raw', tty]);
      if (r.stdout.split('\n').filter(Boolean).length === 4 && r.stderr.split('\n').filter(Boolean).length === 2 && r2.stdout.includes('tty')) break;
      assert.ok(i < 120, 'the services\' logs never came');
      await new Promise((res) => setTimeout(res, 500));
    }
    // two tasks write at once: their lines are compared sorted, stdout and stderr apart
    const sorted = (s: string): string => s.split('\n').sort().join('\n');
    const lines = async (args: string[]): Promise<void> => {
      const { ref, ours } = await both(args, { cwd: dir });
      assert.deepEqual({ out: sorted(ours.stdout), err: sorted(ours.stderr), code: ours.code }, { out: sorted(ref.stdout), err: sorted(ref.stderr), code: ref.code }, args.join(' '));
    };
    for (const flags of [[], ['--raw'], ['--no-task-ids'], ['--no-trunc'], ['--no-resolve'], ['--details'], ['--tail', '1'], ['-n', '0'], ['-t'], ['-t', '--details', '--no-trunc', '--no-resolve'], ['--since', '1h'], ['--since', '2000-01-01T00:00:00Z']]) {
      await lines(['service', 'logs', ...flags, name]);
    }
    const task = (await docker(['service', 'ps', '-q', '--no-trunc', name])).stdout.split('\n')[0];
    await lines(['service', 'logs', task]);
    await lines(['service', 'logs', '--no-trunc', task.slice(0, 12)]);
    await same(['service', 'logs', tty]);
    await same(['service', 'logs', '--raw', tty]);
    await same(['service', 'logs', 'nosuchservice']);
    await same(['service', 'logs', '--since', 'yesterday', name]);
    await same(['service', 'logs']);
    // -f: the lines so far, then it waits for more (ended here by a signal once they are printed)
    const p = spawn(TDOCKER, ['service', 'logs', '-f', '--no-task-ids', name], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    for (let i = 0; out.split('\n').filter(Boolean).length < 4; i++) {
      assert.ok(i < 120 && p.exitCode === null, `service logs -f ended or printed too little: ${out}`);
      await new Promise((res) => setTimeout(res, 250));
    }
    assert.equal(p.exitCode, null, 'logs -f must still be following');
    p.kill('SIGTERM');
    assert.deepEqual(out.split('\n').filter(Boolean).sort(), [`${name}.1@${hostname()}    | out 2`, `${name}.1@${hostname()}    | out1`, `${name}.2@${hostname()}    | out 2`, `${name}.2@${hostname()}    | out1`].sort());
  } finally {
    await docker(['service', 'rm', name, tty]);
  }
});

test('swarm leave without --force, then with it; commands outside a swarm again', async () => {
  await same(['swarm', 'leave']);
  const l = await tdocker(['swarm', 'leave', '--force']);
  assert.equal(l.stdout, 'Node left the swarm.\n', l.stderr);
  joined = l.code !== 0;
  await same(['node', 'ls']);
  await same(['swarm', 'leave', '--force']);
});
