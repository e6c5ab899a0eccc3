/**
 * Two-node swarm, differential against docker 28: the shared engine is the manager (advertising the
 * host side of a veth pair, 10.231.77.1), a second engine in the network namespace `tdswarm`
 * (test/setup/swarm-node.sh: own data root, exec root, pid file, socket) joins as a worker. Set up in
 * before(), torn down in after() (worker engine stopped, namespace removed, the manager's swarm left).
 * Every wait polls the engines' state with a generous limit.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { both, docker, normalize, ROOT, tdocker, uniqueName, type RunResult } from '../helpers/run.js';

const SETUP = join(ROOT, 'test/setup/swarm-node.sh');
const W = 'unix:///tmp/tdswarm-node/docker.sock';
const MANAGER_ADDR = '10.231.77.1';
const WORKER_ADDR = '10.231.77.2';
const WORKER = 'tdswarm-worker';
let inSwarm = false;
let nodeUp = false;

const setup = (verb: string): string => execFileSync('bash', [SETUP, verb], { encoding: 'utf8', timeout: 180_000 });

before(async () => {
  const state = (await docker(['info', '--format', '{{.Swarm.LocalNodeState}}'])).stdout.trim();
  assert.equal(state, 'inactive', 'the engine is already in a swarm: another test owns it');
  nodeUp = true;
  assert.equal(setup('up').trim(), W);
  const init = await tdocker(['swarm', 'init', '--advertise-addr', MANAGER_ADDR]);
  inSwarm = init.code === 0;
  assert.equal(init.code, 0, init.stderr);
});

after(async () => {
  if (inSwarm) await docker(['swarm', 'leave', '--force'], { timeout: 120_000 });
  if (nodeUp) setup('down');
  const left = (await docker(['info', '--format', '{{.Swarm.LocalNodeState}}'])).stdout.trim();
  assert.equal(left, 'inactive');
  assert.doesNotMatch(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }), /\btdswarm\b/);
  assert.equal(setup('status').trim(), 'down');
});

const ids = (s: string): string => s.replace(/\b[a-z0-9]{25}\b/g, '<NODE>').replace(/SWMTKN-[^ \n]*/g, 'TOKEN');

async function same(args: string[], fix: (s: string) => string = ids): Promise<RunResult> {
  const { ref, ours } = await both(args);
  assert.deepEqual({ out: fix(normalize(ours.stdout)), err: fix(normalize(ours.stderr)), code: ours.code }, { out: fix(normalize(ref.stdout)), err: fix(normalize(ref.stderr)), code: ref.code }, args.join(' '));
  return ours;
}

async function until(what: string, check: () => Promise<boolean>, seconds = 120): Promise<void> {
  for (let i = 0; i < seconds * 2; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.fail(`timed out after ${seconds}s waiting for: ${what}`);
}

const nodeField = async (node: string, tmpl: string): Promise<string> => (await docker(['node', 'inspect', node, '--format', tmpl])).stdout.trim();
const token = async (): Promise<string> => (await docker(['swarm', 'join-token', '-q', 'worker'])).stdout.trim();

/** The worker joins with the given client; its output is returned. */
async function joinWorker(client: typeof docker): Promise<RunResult> {
  const r = await client(['-H', W, 'swarm', 'join', '--advertise-addr', WORKER_ADDR, '--token', await token(), `${MANAGER_ADDR}:2377`], { timeout: 120_000 });
  await until('the worker is ready', async () => (await docker(['node', 'ls', '--filter', `name=${WORKER}`, '--format', '{{.Status}}'])).stdout.trim() === 'Ready');
  return r;
}

/** The worker leaves with the given client; the manager then sees it down and removes it. */
async function leave(client: typeof docker, force = false): Promise<RunResult> {
  const r = await client(['-H', W, 'swarm', 'leave', ...(force ? ['--force'] : [])], { timeout: 120_000 });
  await until('the worker is down', async () => (await docker(['node', 'ls', '--filter', `name=${WORKER}`, '--format', '{{.Status}}'])).stdout.trim() !== 'Ready');
  return r;
}

async function tasksOn(service: string): Promise<string[]> {
  const r = await docker(['service', 'ps', service, '--filter', 'desired-state=running', '--format', '{{.Node}} {{.CurrentState}}']);
  return r.stdout.split('\n').filter(Boolean);
}

test('swarm join: bad tokens, then a worker joins; join again and manager commands on the worker fail as docker\'s', async () => {
  await same(['-H', W, 'swarm', 'join', '--token', 'garbage', `${MANAGER_ADDR}:2377`]);
  // a well-formed token of another swarm: the CA fingerprint does not match
  await same(['-H', W, 'swarm', 'join', '--token', 'SWMTKN-1-3pu6hszjas19xyp7ghgosyx9k8atbfcr8p2is99znpy26u2lkl-1awxwuwd3z9j1z3puu7rcgdbx', `${MANAGER_ADDR}:2377`], (s) => s);
  const r = await joinWorker(tdocker);
  assert.deepEqual({ out: r.stdout, err: r.stderr, code: r.code }, { out: 'This node joined a swarm as a worker.\n', err: '', code: 0 });
  await same(['-H', W, 'swarm', 'join', '--token', await token(), `${MANAGER_ADDR}:2377`]);
  await same(['-H', W, 'swarm', 'init']);
  await same(['-H', W, 'node', 'ls']);
  await same(['-H', W, 'service', 'ls']);
  await same(['-H', W, 'swarm', 'join-token', 'worker']);
  await same(['-H', W, 'stack', 'ls']);
  await same(['-H', W, 'info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}} {{.Swarm.NodeAddr}} {{len .Swarm.RemoteManagers}}']);
});

test('node ls shows two nodes; filters, inspect --pretty, ps of the worker', async () => {
  const ls = await same(['node', 'ls']);
  assert.equal(ls.stdout.split('\n').filter(Boolean).length, 3, ls.stdout);
  assert.match(ls.stdout, new RegExp(`${WORKER} +Ready +Active +20\\.10`));
  await same(['node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.Availability}} {{.ManagerStatus}} {{.Self}}']);
  await same(['node', 'ls', '--filter', 'role=worker']);
  await same(['node', 'ls', '--filter', 'role=manager', '-q']);
  await same(['node', 'ls', '--filter', `name=${WORKER}`, '--format', 'json']);
  await same(['node', 'inspect', '--pretty', WORKER]);
  await same(['node', 'inspect', WORKER, '--format', '{{.Status.Addr}} {{.Spec.Role}} {{.Description.Hostname}}']);
  await same(['node', 'ps', WORKER]);
  await same(['node', 'inspect', 'self', WORKER, '--format', '{{.Description.Hostname}}']);
});

test('swarm update and swarm ca (display, rotate with both nodes, -q, errors): docker\'s text', async () => {
  await same(['swarm', 'update']);
  await same(['swarm', 'update', '--cert-expiry', 'soon']);
  await same(['swarm', 'update', '--external-ca', 'url=https://127.0.0.1:1']);
  await same(['swarm', 'update', '--external-ca', 'protocol=acme,url=https://127.0.0.1:1']);
  await same(['swarm', 'update', '--external-ca', 'protocol=cfssl,url=x,cacert=/nonexistent']);
  const spec = '{{json .Swarm.Cluster.Spec}}';
  const u = await tdocker(['swarm', 'update', '--task-history-limit', '3', '--dispatcher-heartbeat', '6s', '--cert-expiry', '100h', '--snapshot-interval', '500', '--max-snapshots', '2']);
  assert.deepEqual({ out: u.stdout, err: u.stderr, code: u.code }, { out: 'Swarm updated.\n', err: '', code: 0 });
  const mine = (await docker(['info', '--format', spec])).stdout;
  assert.match(mine, /"TaskHistoryRetentionLimit":3/);
  assert.match(mine, /"SnapshotInterval":500,"KeepOldSnapshots":2/);
  assert.match(mine, /"HeartbeatPeriod":6000000000/);
  assert.match(mine, /"NodeCertExpiry":360000000000000/);
  await same(['swarm', 'update', '--task-history-limit', '4']);
  await same(['info', '--format', spec]);
  await same(['swarm', 'ca']);
  await same(['swarm', 'ca', '--cert-expiry', '1h']);
  await same(['swarm', 'ca', '--ca-key', '/etc/hostname']);
  await same(['swarm', 'ca', '--rotate', '--ca-cert', '/etc/hostname']);
  await same(['-H', W, 'swarm', 'ca']);
  const rotated: string[][] = [];
  for (const client of [docker, tdocker]) {
    const r = await client(['swarm', 'ca', '--rotate'], { timeout: 180_000 });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.split('\n');
    // the digest line repeats while the nodes catch up (as often as the rotation takes): once is the shape
    const shape = lines.filter((l, i) => !(l.startsWith('desired root digest: sha256:') && lines[i - 1]?.startsWith('desired root digest: sha256:')));
    rotated.push(shape.map((l) => l.replace(/sha256:[0-9a-f]{64}/, 'sha256:<D>').replace(/^[A-Za-z0-9+/=]+$/, '<PEM>')));
    assert.equal(r.stdout.slice(r.stdout.indexOf('-----BEGIN')), (await docker(['swarm', 'ca'])).stdout);
  }
  assert.deepEqual(rotated[1], rotated[0]);
  for (const client of [docker, tdocker]) {
    const q = await client(['swarm', 'ca', '--rotate', '-q'], { timeout: 180_000 });
    assert.deepEqual({ out: q.stdout, err: q.stderr, code: q.code }, { out: '', err: '', code: 0 });
  }
});

test('a global service runs a task on each node; drain moves tasks off the worker and back', async () => {
  const g = uniqueName('glob');
  const r = uniqueName('rep');
  try {
    const c = await tdocker(['service', 'create', '-d', '-q', '--mode', 'global', '--name', g, 'busybox', 'sleep', '600']);
    assert.equal(c.code, 0, c.stderr);
    const c2 = await tdocker(['service', 'create', '-d', '-q', '--replicas', '2', '--name', r, 'busybox', 'sleep', '600']);
    assert.equal(c2.code, 0, c2.stderr);
    await until(`${g} 2/2 and ${r} 2/2`, async () => (await docker(['service', 'ls', '--filter', `name=${g}`, '--filter', `name=${r}`, '--format', '{{.Replicas}}'])).stdout.split('\n').filter(Boolean).every((x) => x === '2/2' || x === '2/2 (max 1 per node)'));
    await until(`a task of ${g} running on each node`, async () => {
      const t = await tasksOn(g);
      return t.length === 2 && t.every((x) => x.includes(' Running'));
    });
    const nodes = (await tasksOn(g)).map((x) => x.split(' ')[0]).sort();
    assert.deepEqual(nodes, [WORKER, hostname()].sort());
    await same(['service', 'ls', '--filter', `name=${g}`]);
    await same(['service', 'ps', g, '--format', '{{.Node}} {{.DesiredState}}'], (s) => s.split('\n').sort().join('\n'));
    await same(['node', 'ps', WORKER, '--filter', `name=${g}`, '--format', '{{.Name}} {{.Node}} {{.DesiredState}}']);

    const d = await tdocker(['node', 'update', '--availability', 'drain', WORKER]);
    assert.deepEqual({ out: d.stdout, err: d.stderr, code: d.code }, { out: `${WORKER}\n`, err: '', code: 0 });
    await until('no task running on the drained worker', async () => {
      const t = [...(await tasksOn(g)), ...(await tasksOn(r))];
      return !t.some((x) => x.startsWith(WORKER)) && (await tasksOn(r)).filter((x) => x.includes(' Running')).length === 2;
    });
    await same(['node', 'ls', '--filter', `name=${WORKER}`, '--format', '{{.Hostname}} {{.Availability}}']);
    // the moved replica: its old task on the worker is a history row
    await same(['service', 'ps', r, '--format', '{{.Name}} {{.Node}} {{.DesiredState}}'], (s) => ids(s).split('\n').sort().join('\n'));
    await same(['service', 'ps', g]);
    await same(['service', 'ps', '--no-trunc', '--filter', 'desired-state=shutdown', g]);
    await same(['service', 'ls', '--filter', `name=${g}`, '--format', '{{.Name}} {{.Mode}} {{.Replicas}}']);

    const a = await tdocker(['node', 'update', '--availability', 'active', WORKER]);
    assert.equal(a.code, 0, a.stderr);
    await until(`${g} back on the worker`, async () => (await tasksOn(g)).some((x) => x.startsWith(WORKER) && x.includes(' Running')));
  } finally {
    await docker(['service', 'rm', g, r]);
    await until('the services\' tasks are gone from the worker', async () => (await docker(['-H', W, 'ps', '-q'])).stdout.trim() === '');
  }
});

test('node rm: an active worker cannot be removed, a down one can, --force removes an active one', async () => {
  await same(['node', 'rm', WORKER]);
  await same(['node', 'rm', 'nosuchnode']);
  await same(['node', 'demote', WORKER]);
  // the worker leaves (tdocker), then node rm without --force (tdocker) removes the down node
  const l = await leave(tdocker);
  assert.deepEqual({ out: l.stdout, err: l.stderr, code: l.code }, { out: 'Node left the swarm.\n', err: '', code: 0 });
  await same(['-H', W, 'swarm', 'leave']);
  const id = await nodeField(WORKER, '{{.ID}}');
  const rm = await tdocker(['node', 'rm', WORKER]);
  assert.deepEqual({ out: rm.stdout, err: rm.stderr, code: rm.code }, { out: `${WORKER}\n`, err: '', code: 0 });
  await same(['node', 'inspect', id]);
  assert.equal((await docker(['node', 'ls', '-q'])).stdout.trim().split('\n').length, 1);

  // joined again (docker), removed while active with --force (tdocker); the worker still believes it is in
  await joinWorker(docker);
  const f = await tdocker(['node', 'rm', '--force', WORKER]);
  assert.deepEqual({ out: f.stdout, err: f.stderr, code: f.code }, { out: `${WORKER}\n`, err: '', code: 0 });
  assert.equal((await docker(['node', 'ls', '-q'])).stdout.trim().split('\n').length, 1);
  const lf = await tdocker(['-H', W, 'swarm', 'leave', '--force'], { timeout: 120_000 });
  assert.deepEqual({ out: lf.stdout, err: lf.stderr, code: lf.code }, { out: 'Node left the swarm.\n', err: '', code: 0 });
  await until('the worker out of the swarm', async () => (await docker(['-H', W, 'info', '--format', '{{.Swarm.LocalNodeState}}'])).stdout.trim() === 'inactive');
});

test('swarm leave on a worker: docker\'s and tdocker\'s output alike; a manager\'s leave without --force refused', async () => {
  await joinWorker(docker);
  const ref = await leave(docker);
  const id = await nodeField(WORKER, '{{.ID}}');
  await docker(['node', 'rm', id]);
  await joinWorker(docker);
  const ours = await leave(tdocker);
  assert.deepEqual({ out: ours.stdout, err: ours.stderr, code: ours.code }, { out: ref.stdout, err: ref.stderr, code: ref.code });
  await docker(['node', 'rm', await nodeField(WORKER, '{{.ID}}')]);
  await same(['swarm', 'leave']);
  await same(['-H', W, 'swarm', 'leave']);
  await same(['-H', W, 'node', 'ls']);
});

test('swarm unlock: an autolocked manager (the second engine, restarted) asks for its key', async () => {
  await same(['-H', W, 'swarm', 'unlock']);
  const init = await tdocker(['-H', W, 'swarm', 'init', '--autolock', '--advertise-addr', WORKER_ADDR], { timeout: 120_000 });
  assert.equal(init.code, 0, init.stderr);
  assert.match(init.stdout, /To unlock a swarm manager after it restarts, run the `docker swarm unlock`\ncommand and provide the following key:\n\n {4}SWMKEY-1-\S+\n\nRemember to store this key/);
  try {
    await same(['-H', W, 'swarm', 'unlock'], (s) => s);
    const key = (await docker(['-H', W, 'swarm', 'unlock-key', '-q'])).stdout.trim();
    for (const client of [docker, tdocker]) {
      setup('restart');
      await until('the restarted manager locked', async () => (await docker(['-H', W, 'info', '--format', '{{.Swarm.LocalNodeState}}'])).stdout.trim() === 'locked');
      await same(['-H', W, 'node', 'ls']);
      await same(['-H', W, 'swarm', 'update', '--autolock=false']);
      const { ref, ours } = await both(['-H', W, 'swarm', 'unlock'], { input: 'SWMKEY-1-wrong\n' });
      assert.deepEqual({ out: ours.stdout, err: ours.stderr, code: ours.code }, { out: ref.stdout, err: ref.stderr, code: ref.code });
      const u = await client(['-H', W, 'swarm', 'unlock'], { input: key + '\n' });
      assert.deepEqual({ out: u.stdout, err: u.stderr, code: u.code }, { out: '', err: '', code: 0 }, client === docker ? 'docker' : 'tdocker');
      await until('the manager unlocked', async () => (await docker(['-H', W, 'info', '--format', '{{.Swarm.LocalNodeState}}'])).stdout.trim() === 'active');
      await same(['-H', W, 'swarm', 'unlock']);
    }
    const off = await tdocker(['-H', W, 'swarm', 'update', '--autolock=false']);
    assert.deepEqual({ out: off.stdout, err: off.stderr, code: off.code }, { out: 'Swarm updated.\n', err: '', code: 0 });
    await same(['-H', W, 'swarm', 'unlock-key']);
    const on = await tdocker(['-H', W, 'swarm', 'update', '--autolock=true']);
    assert.match(on.stdout, /^Swarm updated\.\nTo unlock a swarm manager after it restarts/);
  } finally {
    await docker(['-H', W, 'swarm', 'leave', '--force'], { timeout: 120_000 });
  }
});
