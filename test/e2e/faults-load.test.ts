/**
 * Load: 50 tdocker processes at once mixing ps, inspect, run --rm and exec against the one engine, all
 * succeeding; listings of 5,000 containers (created, never started, made through the API in parallel)
 * and 2,000 distinct tiny images (imported) equal to docker 28's, with tdocker's peak memory (VmHWM)
 * measured and flat against a listing of a handful. Everything made is labelled and removed in `after`,
 * failure or not. TDOCKER_LOAD_CONTAINERS / TDOCKER_LOAD_IMAGES change the counts.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { docker, DOCKER, TDOCKER, uniqueName } from '../helpers/run.js';

const CONTAINERS = Number(process.env.TDOCKER_LOAD_CONTAINERS ?? 5000);
const IMAGES = Number(process.env.TDOCKER_LOAD_IMAGES ?? 2000);
const label = uniqueName('tdload');
const repo = uniqueName('tdload-img');
const box = uniqueName('load-box');
const agent = new Agent({ keepAlive: true, maxSockets: 12 });

function api(method: string, path: string, body?: Buffer | object, type = 'application/json'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    const req = request({ socketPath: '/var/run/docker.sock', path: `/v1.41${path}`, method, agent, headers: data ? { 'Content-Type': type, 'Content-Length': data.length } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** Run f over 0..n-1, `width` at a time. */
async function parallel(n: number, width: number, f: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await f(next++);
  }));
}

const filter = (l: string): string => encodeURIComponent(JSON.stringify({ label: [l] }));

async function removeAll(): Promise<void> {
  const cs = JSON.parse((await api('GET', `/containers/json?all=1&filters=${filter(label)}`)).body) as { Id: string }[];
  await parallel(cs.length, 12, async (i) => void (await api('DELETE', `/containers/${cs[i].Id}?force=1&v=1`)));
  const ims = JSON.parse((await api('GET', `/images/json?filters=${filter(label)}`)).body) as { Id: string }[];
  await parallel(ims.length, 12, async (i) => void (await api('DELETE', `/images/${ims[i].Id}?force=1`)));
}

// stopped from outside (a timeout, Ctrl-C), the file still removes what it made
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    void removeAll().finally(() => process.exit(1));
  });
}

before(async () => {
  const r = await docker(['run', '-d', '--label', label, '--name', box, 'busybox', 'sleep', '3600']);
  assert.equal(r.code, 0, r.stderr);
});

after(async () => {
  await removeAll();
  agent.destroy();
});

/** Run prog, polling its peak resident set (VmHWM, kB) while it runs. */
function measured(prog: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; peakKb: number }> {
  return new Promise((resolve) => {
    const child = spawn(prog, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let peak = 0;
    const poll = (): void => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]));
      } catch {
        // gone
      }
    };
    const timer = setInterval(poll, 5);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      poll();
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', poll);
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ code, stdout: out, stderr: err, peakKb: peak });
    });
  });
}

test('50 tdocker processes at once (ps, inspect, run --rm, exec): all succeed', async () => {
  const kinds = [
    ['ps', '-a', '--filter', `label=${label}`],
    ['inspect', '-f', '{{.State.Running}}', box],
    ['run', '--rm', '--label', label, 'busybox', 'echo', 'ran'],
    ['exec', box, 'echo', 'execed'],
  ];
  const expect = [new RegExp(box), /^true\n$/, /^ran\n$/, /^execed\n$/];
  const runs = Array.from({ length: 50 }, (_, i) => measured(TDOCKER, kinds[i % 4]).then((r) => ({ ...r, i })));
  const results = await Promise.all(runs);
  for (const r of results) {
    assert.equal(r.code, 0, `#${r.i} ${kinds[r.i % 4].join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, expect[r.i % 4]);
  }
  console.log(`# concurrent tdocker processes: ${results.length}, all exit 0`);
});

test(`${CONTAINERS} containers (created, never started) and ${IMAGES} imported images: listings as docker's, memory flat`, async () => {
  const small = await measured(TDOCKER, ['ps', '-a', '--filter', `label=${label}`, '--no-trunc']);
  assert.equal(small.code, 0, small.stderr);

  await parallel(CONTAINERS, 12, async (i) => {
    const r = await api('POST', `/containers/create?name=${label}-c${i}`, { Image: 'busybox', Cmd: ['echo', String(i)], Labels: { [label]: String(i) } });
    assert.equal(r.status, 201, r.body);
  });
  // a tiny distinct root filesystem each: one file holding the index
  await parallel(IMAGES, 8, async (i) => {
    const content = Buffer.from(`image ${i}\n`);
    const h = Buffer.alloc(512);
    h.write('id', 0);
    h.write('0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(content.length.toString(8).padStart(11, '0') + '\0', 124);
    h.write('00000000000\0', 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\x0000', 257);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    const tar = Buffer.concat([h, content, Buffer.alloc(512 - content.length), Buffer.alloc(1024)]);
    const changes = encodeURIComponent(`LABEL ${label}=${i}`);
    const r = await api('POST', `/images/create?fromSrc=-&repo=${repo}&tag=t${i}&changes=${changes}`, tar, 'application/x-tar');
    assert.equal(r.status, 200, r.body);
    assert.doesNotMatch(r.body, /"error"/);
  });

  const listings: [string, string[]][] = [
    ['ps', ['ps', '-a', '--filter', `label=${label}`, '--no-trunc', '--format', '{{.ID}} {{.Image}} {{.Command}} {{.Status}} {{.Names}} {{.Labels}}']],
    ['ps -q', ['ps', '-aq', '--filter', `label=${label}`]],
    ['images', ['images', '--filter', `label=${label}`, '--format', '{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}']],
    ['images table', ['images', '--filter', `label=${label}`, '--no-trunc', '--format', 'table {{.Repository}}\t{{.Tag}}\t{{.ID}}']],
  ];
  const peaks: string[] = [];
  for (const [what, args] of listings) {
    const ref = await measured(DOCKER, args);
    const ours = await measured(TDOCKER, args);
    assert.equal(ours.code, 0, ours.stderr);
    if (what.startsWith('images')) {
      // the engine's order of images created within the same second is its own, different at each
      // request (docker's own output changes between two runs): the same lines, newest first
      const [head, refHead] = what === 'images table' ? [ours.stdout.split('\n')[0], ref.stdout.split('\n')[0]] : ['', ''];
      assert.equal(head, refHead);
      assert.deepEqual(ours.stdout.split('\n').sort(), ref.stdout.split('\n').sort(), `${what} differs from docker's`);
    } else assert.equal(ours.stdout, ref.stdout, `${what} differs from docker's`);
    peaks.push(`${what} ${Math.round(ours.peakKb / 1024)} MB (docker ${Math.round(ref.peakKb / 1024)} MB)`);
    // flat: the listing of thousands costs tdocker little more than the listing of a handful
    assert.ok(ours.peakKb < small.peakKb * 1.5 + 64 * 1024, `${what}: peak ${ours.peakKb} kB against ${small.peakKb} kB for a handful`);
  }
  const created = (await measured(TDOCKER, ['images', '--filter', `label=${label}`, '--format', '{{.CreatedAt}}'])).stdout.split('\n').filter(Boolean);
  assert.deepEqual(created, [...created].sort().reverse(), 'images are listed newest first');
  const count = (s: string): number => s.split('\n').filter(Boolean).length;
  assert.equal(count((await measured(TDOCKER, listings[1][1])).stdout), CONTAINERS + 1);
  assert.equal(count((await measured(TDOCKER, listings[2][1])).stdout), IMAGES);
  console.log(`# peak RSS, a handful: ${Math.round(small.peakKb / 1024)} MB; ${peaks.join('; ')}`);
});
