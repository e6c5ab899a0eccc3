/**
 * Detach keys in a real pseudo-terminal (tmux), docker 28 and tdocker on the same case, screens and
 * exit statuses compared: `run -it`, `exec -it` and `attach` with the default ctrl-p,ctrl-q, a
 * --detach-keys sequence and config.json's detachKeys; a partial sequence is given back to the
 * container as typed, a broken one is not restarted (moby/term's EscapeProxy); run detaches silently
 * (0), exec and attach end with "read escape sequence" (1); keys the engine refuses end as docker's
 * hijack ends ("unable to upgrade to tcp, received 400").
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { docker, DOCKER, TDOCKER, TmuxSession, uniqueName } from '../helpers/run.js';

const label = uniqueName('tddetach');
const cfg = mkdtempSync(join(tmpdir(), 'tddetach-'));
writeFileSync(join(cfg, 'config.json'), JSON.stringify({ detachKeys: 'ctrl-x,y' }));
let tried = 0;

after(async () => {
  const ids = (await docker(['ps', '-aq', '--filter', `label=${label}`])).stdout.split('\n').filter(Boolean);
  if (ids.length) await docker(['rm', '-f', ...ids]);
  rmSync(cfg, { recursive: true, force: true });
  console.log(`# detach-key sequences typed: ${tried}`);
});

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Case {
  /** the client's command line; C is the container's name */
  cmd: (prog: string, c: string) => string;
  /** a container made first (exec, attach) */
  pre?: (c: string) => string[];
  /** what the screen shows once the session is ready for keys */
  ready: RegExp;
  /** keys typed one by one (each its own read) */
  keys: string[];
  /** what the screen shows at the end */
  end: RegExp;
}

async function ending(prog: string, k: Case): Promise<{ screen: string; state: string }> {
  const c = uniqueName('tddetach');
  if (k.pre) assert.equal((await docker(k.pre(c))).code, 0);
  const s = await TmuxSession.start(`${k.cmd(prog, c)}; echo "rc=$?"; sleep 60`, 80, 12);
  try {
    await s.waitFor(k.ready);
    // the client in raw mode before the first key (in cooked mode the line discipline keeps ctrl-q)
    await pause(500);
    for (const key of k.keys) {
      await s.keys(key);
      tried++;
      await pause(300);
    }
    const screen = await s.waitFor(k.end);
    const state = (await docker(['inspect', '-f', '{{.State.Status}}', c])).stdout.trim();
    return { screen: screen.replace(/\n+$/, '').replaceAll(c, '<C>'), state };
  } finally {
    await s.kill();
    await docker(['rm', '-f', c]);
  }
}

/** expect.rc: the client's exit status, or undefined when it is still attached */
async function same(k: Case, expect: { state: string; rc?: string }): Promise<void> {
  const ref = await ending(DOCKER, k);
  const ours = await ending(TDOCKER, k);
  assert.deepEqual(ours, ref);
  assert.equal(ref.state, expect.state);
  if (expect.rc === undefined) assert.doesNotMatch(ref.screen, /rc=/);
  else assert.match(ref.screen, new RegExp(`(^|# )rc=${expect.rc}$`, 'm'));
}

const shell = (extra = ''): ((p: string, c: string) => string) => (p, c) => `${p} run -it ${extra} --label ${label} --name ${c} busybox sh`;
const PROMPT = /^\/ #\s*$/m;
// the line it ends on may be the container's prompt: "/ # rc=0"
const RC = /(^|# )rc=\d+$/m;

test('run -it: ctrl-p ctrl-q detaches silently (0), the container runs on', () => same({ cmd: shell(), ready: PROMPT, keys: ['C-p', 'C-q'], end: RC }, { state: 'running', rc: '0' }));

test('run -it --detach-keys ctrl-x,y: the default keys go to the container, the given ones detach', () =>
  same({ cmd: shell('--detach-keys ctrl-x,y'), ready: PROMPT, keys: ['C-p', 'C-q', 'C-x', 'y'], end: RC }, { state: 'running', rc: '0' }));

test("run -it with config.json's detachKeys", () =>
  same({ cmd: (p, c) => `DOCKER_CONFIG=${cfg} ${p} run -it --label ${label} --name ${c} busybox sh`, ready: PROMPT, keys: ['C-x', 'y'], end: RC }, { state: 'running', rc: '0' }));

test('run -it: a partial sequence reaches the container as typed; ctrl-p ctrl-p ctrl-q does not detach', () =>
  same(
    { cmd: (p, c) => `${p} run -it --label ${label} --name ${c} busybox sh -c 'echo ready; exec cat -v'`, ready: /^ready/m, keys: ['C-p', 'a', 'Enter', 'C-p', 'C-p', 'C-q', 'Enter'], end: /^\^P\^P\n\^P\^P$/m },
    // ctrl-q is the container terminal's XON: its line discipline keeps it
    { state: 'running' },
  ));

test('exec -it: the default keys end it with "read escape sequence", 1', () =>
  same(
    { pre: (c) => ['run', '-d', '--label', label, '--name', c, 'busybox', 'sleep', '300'], cmd: (p, c) => `${p} exec -it ${c} sh`, ready: PROMPT, keys: ['C-p', 'C-q'], end: RC },
    { state: 'running', rc: '1' },
  ));

test('exec -it --detach-keys a,b: a broken sequence given back, then a b detaches', () =>
  same(
    { pre: (c) => ['run', '-d', '--label', label, '--name', c, 'busybox', 'sleep', '300'], cmd: (p, c) => `${p} exec -it --detach-keys a,b ${c} sh -c 'echo ready; exec cat -v'`, ready: /^ready/m, keys: ['a', 'x', 'Enter', 'a', 'b'], end: RC },
    { state: 'running', rc: '1' },
  ));

test('attach --detach-keys ctrl-a,ctrl-b: "read escape sequence", 1, the container runs on', () =>
  same(
    { pre: (c) => ['run', '-dit', '--label', label, '--name', c, 'busybox', 'sh'], cmd: (p, c) => `${p} attach --detach-keys ctrl-a,ctrl-b ${c}`, ready: /./, keys: ['Enter', 'C-a', 'C-b'], end: RC },
    { state: 'running', rc: '1' },
  ));

test('detach keys the engine refuses: the container is left created, "unable to upgrade to tcp, received 400", 1', () =>
  same({ cmd: shell('--detach-keys ctrl-1'), ready: RC, keys: [], end: RC }, { state: 'created', rc: '1' }));
