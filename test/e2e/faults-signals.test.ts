/**
 * Ctrl-C (SIGINT) and SIGTERM to the client in the middle of its work, docker 28 and tdocker on the
 * same case: a command waiting on the engine (logs -f, events, wait, pull, push, ps) ends silently
 * with 128+signal (130, 143); attach and run forward the signal (--sig-proxy) and exit with the
 * container's status; run --sig-proxy=false goes on waiting and only the third signal forces the exit;
 * a build is cancelled on the engine (its RUN step's process is gone) — classic builder against docker
 * 28, BuildKit against docker 20.10 with DOCKER_BUILDKIT=1 (docker 28 has no buildx here); compose up
 * stops its containers and exits 130 as compose v2 does. A request is held in flight by the fault proxy
 * where the command prints nothing to wait for.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FaultProxy, type FaultRule } from '../helpers/faultproxy.js';
import { docker, DOCKER, runProgram, TDOCKER, uniqueName } from '../helpers/run.js';

const label = uniqueName('tdsig');
const TRAP = 'trap "exit 33" INT TERM; i=0; while [ $i -lt 600 ]; do echo tick; sleep 0.1; i=$((i+1)); done; exit 34';
let proxy: FaultProxy;
let signals = 0;
const dirs: string[] = [];

before(async () => {
  proxy = await FaultProxy.start([]);
});

after(async () => {
  await proxy?.close();
  const ids = (await docker(['ps', '-aq', '--filter', `label=${label}`])).stdout.split('\n').filter(Boolean);
  if (ids.length) await docker(['rm', '-f', '-v', ...ids]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  console.log(`# signals tried: ${signals}`);
});

interface Ending {
  code: number | null;
  signal: string | null;
  stderr: string;
}

type Trigger = { on: 'stdout' } | { on: 'output'; text: string } | { on: 'request'; match: RegExp; holdMs?: number };

/**
 * Run prog with args, send sig (count times, 200 ms apart) once the trigger is seen: the first bytes
 * on stdout, a text in the output, or the request reaching the engine (through the proxy, which may
 * hold it there so that it is still in flight).
 */
async function signalled(prog: string, args: string[], trigger: Trigger, sig: NodeJS.Signals, o: { count?: number; env?: Record<string, string>; timeout?: number } = {}): Promise<Ending & { out: string }> {
  const rules: FaultRule[] = [];
  let fire = (): void => {};
  if (trigger.on === 'request') rules.push({ match: trigger.match, holdRequestMs: trigger.holdMs, onMatch: () => fire() });
  proxy.setRules(rules);
  const child = spawn(prog, ['-H', proxy.host, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...o.env } });
  let out = '';
  let err = '';
  let sent = false;
  fire = (): void => {
    if (sent) return;
    sent = true;
    const n = o.count ?? 1;
    for (let i = 0; i < n; i++) {
      setTimeout(() => {
        signals++;
        child.kill(sig);
      }, (trigger.on === 'request' ? 300 : 0) + i * 200);
    }
  };
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (trigger.on === 'stdout' || (trigger.on === 'output' && out.includes(trigger.text))) fire();
  });
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    if (trigger.on === 'output' && err.includes(trigger.text)) fire();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), o.timeout ?? 30000);
  const [code, signal] = await new Promise<[number | null, string | null]>((res) => child.on('close', (c, s) => res([c, s])));
  clearTimeout(timer);
  child.stdin.destroy();
  assert.ok(sent, `${prog} ${args.join(' ')}: the moment to signal never came; stderr: ${err}`);
  return { code, signal, stderr: err.replaceAll(proxy.path, '<SOCK>'), out };
}

const box = async (cmd = TRAP): Promise<string> => {
  const name = uniqueName('sig-box');
  const r = await docker(['run', '-d', '--label', label, '--name', name, 'busybox', 'sh', '-c', cmd]);
  assert.equal(r.code, 0, r.stderr);
  return name;
};

const ending = (e: Ending & { out: string }): Ending => ({ code: e.code, signal: e.signal, stderr: e.stderr });

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  const status = sig === 'SIGINT' ? 130 : 143;

  const cases: [string, () => Promise<string[]>, Trigger][] = [
    ['logs -f', async () => ['logs', '-f', await box()], { on: 'stdout' }],
    ['events', async () => ['events', '--since', '2000-01-01', '--filter', `container=${await box()}`], { on: 'stdout' }],
    ['wait', async () => ['wait', await box()], { on: 'request', match: /\/wait/ }],
    ['ps (its answer slow)', async () => ['ps'], { on: 'request', match: /\/containers\/json/, holdMs: 3000 }],
    ['pull (its answer slow)', async () => ['pull', `127.0.0.1:5000/${uniqueName('nothing')}:x`], { on: 'request', match: /\/images\/create/, holdMs: 3000 }],
  ];
  for (const [what, args, trigger] of cases) {
    test(`${sig} during ${what}: ends silently with ${status}, as docker`, async () => {
      const a = await args();
      const ref = ending(await signalled(DOCKER, a, trigger, sig));
      const ours = ending(await signalled(TDOCKER, a, trigger, sig));
      assert.deepEqual(ours, ref);
      assert.deepEqual(ref, { code: status, signal: null, stderr: '' });
    });
  }

  test(`${sig} during push (its answer slow): ends silently with ${status}, as docker`, async () => {
    const ref = `127.0.0.1:5000/${uniqueName('sigpush')}:x`;
    assert.equal((await docker(['tag', 'busybox', ref])).code, 0);
    try {
      const trigger: Trigger = { on: 'request', match: /\/images\/.*\/push/, holdMs: 3000 };
      const d = ending(await signalled(DOCKER, ['push', ref], trigger, sig));
      const t = ending(await signalled(TDOCKER, ['push', ref], trigger, sig));
      assert.deepEqual(t, d);
      assert.deepEqual(d, { code: status, signal: null, stderr: '' });
    } finally {
      await docker(['rmi', ref]);
    }
  });

  for (const verb of ['attach', 'run']) {
    test(`${sig} to ${verb} (--sig-proxy): forwarded, the container's status 33, as docker`, async () => {
      for (const prog of [DOCKER, TDOCKER]) {
        const args = verb === 'attach' ? ['attach', await box()] : ['run', '--rm', '--label', label, 'busybox', 'sh', '-c', TRAP];
        const e = ending(await signalled(prog, args, { on: 'stdout' }, sig));
        assert.deepEqual(e, { code: 33, signal: null, stderr: '' }, prog);
      }
    });
  }

  test(`${sig} three times to run --sig-proxy=false: it goes on waiting, the third forces the exit (1), as docker`, async () => {
    const ends = [];
    for (const prog of [DOCKER, TDOCKER]) {
      const name = uniqueName('sig-noproxy');
      const e = await signalled(prog, ['run', '--name', name, '--label', label, '--sig-proxy=false', 'busybox', 'sh', '-c', TRAP], { on: 'stdout' }, sig, { count: 3 });
      // the container never got the signal: still running
      assert.equal((await docker(['inspect', '-f', '{{.State.Running}}', name])).stdout.trim(), 'true', prog);
      ends.push(ending(e));
    }
    assert.deepEqual(ends[1], ends[0]);
    assert.deepEqual(ends[0], { code: 1, signal: null, stderr: '\ngot 3 SIGTERM/SIGINTs, forcefully exiting\n' });
  });

  test(`${sig} during stats: tdocker ends with ${status} (docker 28 ignores it and hangs: kept better, as the issue asks)`, async () => {
    const e = ending(await signalled(TDOCKER, ['stats', await box()], { on: 'stdout' }, sig));
    assert.deepEqual(e, { code: status, signal: null, stderr: '' });
  });

  for (const builder of ['classic', 'BuildKit'] as const) {
    test(`${sig} during a ${builder} build: the build is cancelled on the engine, the client's ending as docker's`, async () => {
      const ends = [];
      const ref = builder === 'classic' ? DOCKER : '/usr/bin/docker';
      for (const prog of [ref, TDOCKER]) {
        const dir = mkdtempSync(join(tmpdir(), 'tdsig-build-'));
        dirs.push(dir);
        // a sleep of its own length, to find it among the machine's processes
        const secs = 600 + Math.floor(Math.random() * 300);
        writeFileSync(join(dir, 'Dockerfile'), `FROM busybox\nRUN echo start-${secs} && sleep ${secs}\n`);
        const e = await signalled(prog, ['build', '--no-cache', '--label', label, dir], { on: 'output', text: `start-${secs}\n` }, sig, {
          env: { DOCKER_BUILDKIT: builder === 'classic' ? '0' : '1' },
        });
        // the step's process goes away once the engine has cancelled the build
        let left = '1';
        for (let i = 0; i < 50 && left !== '0'; i++) {
          left = (await runProgram('sh', ['-c', `ps -eo args | grep -c '^sleep ${secs}$' || true`])).stdout.trim();
          if (left !== '0') await new Promise((r) => setTimeout(r, 200));
        }
        assert.equal(left, '0', `${prog}: the RUN step still runs`);
        const tail = builder === 'BuildKit' ? e.stderr.slice(e.stderr.lastIndexOf('\n', e.stderr.length - 2) + 1) : '';
        ends.push({ code: e.code, signal: e.signal, tail, canceled: /CANCELED/.test(e.stderr) });
      }
      assert.deepEqual(ends[1], ends[0]);
      assert.equal(ends[0].code, builder === 'classic' ? status : 1);
    });
  }

  test(`${sig} during compose up: "Gracefully Stopping...", its containers stopped, 130 (compose v2's status for both signals)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tdsig-compose-'));
    dirs.push(dir);
    const project = uniqueName('tdsig');
    writeFileSync(join(dir, 'compose.yaml'), `services:\n  a:\n    image: busybox\n    labels: ["${label}"]\n    command: ["sh", "-c", ${JSON.stringify(TRAP.replaceAll('$', '$$$$'))}]\n`);
    try {
      const e = await signalled(TDOCKER, ['compose', '-p', project, '--project-directory', dir, 'up'], { on: 'output', text: 'tick' }, sig);
      assert.equal(e.code, 130, e.stderr);
      assert.match(e.out, /Gracefully Stopping\.\.\. press Ctrl\+C again to force/);
      const states = (await docker(['ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.State}}'])).stdout.trim();
      assert.equal(states, 'exited');
    } finally {
      await runProgram(TDOCKER, ['compose', '-p', project, '--project-directory', dir, 'down']);
    }
  });
}
