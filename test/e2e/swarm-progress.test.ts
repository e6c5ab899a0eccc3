/**
 * The converging display of `service create/update/scale/rollback` without -d, differential against
 * docker 28: plain lines off a terminal (normalised for timing: how many times a line repeats, and the
 * intermediate counts, depend on when the engine's tasks move), docker's redrawn block on a terminal
 * (tmux; the final screens compared, at 130 columns with the task bars and at 80 without), and
 * `info`'s Swarm section. All on an engine of its own (test/setup/swarm-node.sh with TDSWARM_NS=tdprog,
 * no veth pair) that is a one-node swarm for this file only, so that nothing here meets the swarm tests
 * on the shared engine; torn down in after(), which checks that nothing is left.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { docker, ROOT, runProgram, tdocker, TDOCKER, TmuxSession, uniqueName, DOCKER, type RunResult } from '../helpers/run.js';

const SETUP = join(ROOT, 'test/setup/swarm-node.sh');
const BASE = '/tmp/tdprog-node';
const HOST = `unix://${BASE}/docker.sock`;
const ENV = { TDSWARM_NS: 'tdprog', TDSWARM_BASE: BASE, TDSWARM_CGROUP: 'tdprog', TDSWARM_LINK: '0', TDSWARM_HOSTNAME: 'tdprog-node' };
const setup = (verb: string): string => execFileSync('bash', [SETUP, verb], { encoding: 'utf8', timeout: 180_000, env: { ...process.env, ...ENV } });
let up = false;

const onNode = (client: typeof docker, args: string[], timeout = 180_000): Promise<RunResult> => client(['-H', HOST, ...args], { timeout });

before(async () => {
  up = true;
  assert.equal(setup('up').trim(), HOST);
  const init = await onNode(docker, ['swarm', 'init', '--advertise-addr', '127.0.0.1']);
  assert.equal(init.code, 0, init.stderr);
});

after(async () => {
  if (up) {
    await onNode(docker, ['swarm', 'leave', '--force']);
    setup('down');
  }
  // nothing of this file's engine is left: no namespace, no files, no engine
  assert.doesNotMatch(execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }), /\btdprog\b/);
  assert.equal(existsSync(BASE), false);
  assert.equal(setup('status').trim(), 'down');
});

/**
 * docker's plain progress, with what depends on timing taken out: each line once, where it first
 * appears (how often a line repeats, and how the count and the countdown lines interleave, depend on
 * when the engine was asked); of the "overall progress"/"active tasks" lines only the first and the last (the last put
 * before the verification; the counts in between are when the engine happened to be asked); of the "Waiting N seconds" countdown
 * only its first line (a loaded machine can skip a second); "waiting for (new) tasks" (the engine may
 * already have made them at the first poll) and rollback's final "rollback completed" (printed when the
 * engine's rollback completed before the tasks were seen converged) left out.
 */
function plain(s: string, name: string, id?: string): string {
  if (id) s = s.replaceAll(id, '<ID>');
  s = s.replaceAll(name, '<NAME>');
  const lines = s.split('\n').filter((l) => !/: waiting for (new )?tasks$/.test(l) && l !== 'rollback: rollback completed');
  const isCount = (l: string): boolean => /^(overall progress|active tasks): /.test(l);
  const counts = lines.map((l, i) => (isCount(l) ? i : -1)).filter((i) => i >= 0);
  const seen = new Set<string>();
  let waited = false;
  const out: string[] = [];
  lines.forEach((l, i) => {
    if (isCount(l)) {
      if (i === counts[0]) out.push(l);
      return;
    }
    if (/^verify: Waiting \d+ seconds/.test(l)) {
      if (!waited) out.push(l);
      waited = true;
      return;
    }
    if (!seen.has(l)) out.push(l);
    seen.add(l);
  });
  // the last count goes before the verification (where docker's redraw would have it)
  if (counts.length > 1) {
    const v = out.findIndex((l) => l.startsWith('verify: ') || l === 'job complete');
    out.splice(v < 0 ? out.length : v, 0, lines[counts[counts.length - 1]]);
  }
  return out.join('\n');
}

/** remove this test's services (named BASE-…), whatever happened */
async function removeServices(base: string): Promise<void> {
  const names = (await onNode(docker, ['service', 'ls', '--filter', `name=${base}`, '--format', '{{.Name}}'])).stdout.split('\n').filter(Boolean);
  if (names.length) await onNode(docker, ['service', 'rm', ...names]);
}

const serviceId = (stdout: string): string | undefined => /^([a-z0-9]{25})$/m.exec(stdout)?.[1];

/** Run one verb on a service of each client's own (docker's NAME-d, tdocker's NAME-t) and compare. */
async function sameProgress(base: string, args: (name: string) => string[]): Promise<void> {
  const ref = await onNode(docker, args(`${base}-d`));
  const ours = await onNode(tdocker, args(`${base}-t`));
  const n = (r: RunResult, name: string): object => ({ out: plain(r.stdout, name, serviceId(r.stdout)), err: r.stderr.replaceAll(name, '<NAME>'), code: r.code });
  assert.deepEqual(n(ours, `${base}-t`), n(ref, `${base}-d`), args('NAME').join(' '));
  if (!args('NAME').includes('-q')) assert.match(ours.stdout, /verify: Service .* converged\n|job complete\n/);
}

test('off a terminal: create, scale, update, rollback, scale down print docker\'s lines', async () => {
  const base = uniqueName('prog');
  try {
  await sameProgress(base, (n) => ['service', 'create', '--name', n, '--replicas', '2', 'busybox', 'sleep', '600']);
  await sameProgress(base, (n) => ['service', 'scale', `${n}=3`]);
  await sameProgress(base, (n) => ['service', 'update', '--env-add', 'X=1', '--update-parallelism', '3', n]);
  await sameProgress(base, (n) => ['service', 'rollback', n]);
  await sameProgress(base, (n) => ['service', 'update', '--replicas', '1', n]);
  // -q: the service's ID or name, no progress
  await sameProgress(base, (n) => ['service', 'update', '-q', '--replicas', '2', n]);
  } finally {
    await removeServices(base);
  }
});

test('off a terminal: global, replicated-job and global-job services', async () => {
  const base = uniqueName('progm');
  try {
  await sameProgress(`${base}-g`, (n) => ['service', 'create', '--name', n, '--mode', 'global', 'busybox', 'sleep', '600']);
  await sameProgress(`${base}-rj`, (n) => ['service', 'create', '--name', n, '--mode', 'replicated-job', '--replicas', '2', 'busybox', 'true']);
  await sameProgress(`${base}-gj`, (n) => ['service', 'create', '--name', n, '--mode', 'global-job', 'busybox', 'true']);
  } finally {
    await removeServices(base);
  }
});

/** Run a command in a tmux pane of the given width and return its final screen (up to its EXIT= line). */
async function finalScreen(program: string, args: string[], width: number): Promise<string> {
  const cmd = [program, '-H', HOST, ...args].map((a) => `'${a}'`).join(' ');
  const t = await TmuxSession.start(`sh -c "${cmd.replaceAll('"', '\\"')}; echo EXIT=\\$?"`, width, 40);
  try {
    const s = await t.waitFor(/EXIT=\d+/, 180_000);
    const end = s.indexOf('\n', s.indexOf('EXIT='));
    return s.slice(0, end < 0 ? undefined : end);
  } finally {
    await t.kill();
  }
}

test('on a terminal: docker\'s redrawn block (task bars at 130 columns, none at 80)', async () => {
  const base = uniqueName('progt');
  const screens = async (width: number, args: (name: string) => string[]): Promise<void> => {
    const n = (s: string, name: string): string => {
      const id = serviceId(s);
      return (id ? s.replaceAll(id, '<ID>') : s).replaceAll(name, '<NAME>');
    };
    // the same command once more (both clients) when the screens differ: in one CI run the 80-column
    // scale's screen lacked its "scaled to" line once (not reproduced); a difference both times fails
    let ref = '';
    let ours = '';
    // (create is not repeated: a second one would only compare the two name conflicts)
    const tries = args('NAME')[1] === 'create' ? 1 : 2;
    for (let attempt = 0; attempt < tries; attempt++) {
      ref = n(await finalScreen(DOCKER, args(`${base}-d`), width), `${base}-d`);
      ours = n(await finalScreen(TDOCKER, args(`${base}-t`), width), `${base}-t`);
      if (ours === ref) break;
    }
    assert.equal(ours, ref, `${width} columns: ${args('NAME').join(' ')}`);
  };
  try {
  await screens(130, (n) => ['service', 'create', '--name', n, '--replicas', '3', 'busybox', 'sleep', '600']);
  await screens(80, (n) => ['service', 'scale', `${n}=2`]);
  await screens(130, (n) => ['service', 'update', '--env-add', 'Y=2', n]);
  } finally {
    await removeServices(base);
  }
});

test('info\'s Swarm section on a one-node swarm (a manager)', async () => {
  const section = (s: string): string => {
    const i = s.indexOf(' Swarm: ');
    const j = s.indexOf('\n Runtimes: ', i);
    return s.slice(i, j < 0 ? undefined : j);
  };
  const ref = await onNode(docker, ['info']);
  const ours = await onNode(tdocker, ['info']);
  assert.equal(ours.code, ref.code);
  assert.match(section(ref.stdout), /Is Manager: true/);
  assert.equal(section(ours.stdout), section(ref.stdout));
  const fmt = ['info', '--format', '{{json .Swarm}}'];
  assert.equal((await onNode(tdocker, fmt)).stdout, (await onNode(docker, fmt)).stdout);
});

test('service create --publish: edge forms give docker\'s spec, bad ones docker\'s text and status', async () => {
  const base = uniqueName('pub');
  const forms = [':80', '80', '8080:80/udp', '8081:80/UDP', 'mode=host,target=80', 'target=80,published=8082,protocol=udp', 'TARGET=80,Published=8083', '8084-8085:80', '90-91', '8086-8087:92-93'];
  try {
    for (const [i, form] of forms.entries()) {
      const spec = async (client: typeof docker, name: string): Promise<string> => {
        const c = await onNode(client, ['service', 'create', '-d', '-q', '--name', name, '-p', form, 'busybox', 'sleep', '600']);
        assert.equal(c.code, 0, `${form}: ${c.stderr}`);
        const s = JSON.parse((await onNode(docker, ['service', 'inspect', name, '--format', '{{json .Spec.EndpointSpec}}'])).stdout);
        await onNode(docker, ['service', 'rm', name]);
        // docker makes a container range's ports from a Go map: in any order
        s.Ports?.sort((a: any, b: any) => a.TargetPort - b.TargetPort || (a.PublishedPort ?? 0) - (b.PublishedPort ?? 0));
        return JSON.stringify(s);
      };
      assert.equal(await spec(tdocker, `${base}-${i}-t`), await spec(docker, `${base}-${i}-d`), form);
    }
  } finally {
    await removeServices(base);
  }
  const bad = ['', ',', 'published=8080', 'target=80,mode=bad', 'target=x', 'target=70000', 'target=80,foo=1', 'target=80,=5', 'target=80,protocol=icmp', 'target=', 'a:b', 'x:80', '3-1:80', '70000', '8080:80/icmp', '127.0.0.1:8080:80', '[::1]:80:80', '1.2.3:80:80', '1-2:80-83'];
  for (const form of bad) {
    const ref = await onNode(docker, ['service', 'create', '-p', form, 'busybox']);
    const ours = await onNode(tdocker, ['service', 'create', '-p', form, 'busybox']);
    assert.deepEqual({ err: ours.stderr.replaceAll('tdocker', 'docker'), out: ours.stdout, code: ours.code }, { err: ref.stderr, out: ref.stdout, code: ref.code }, form);
  }
});

test('no service of this file is left on its engine', async () => {
  const r = await runProgram(DOCKER, ['-H', HOST, 'service', 'ls', '-q']);
  assert.equal(r.stdout, '');
});
