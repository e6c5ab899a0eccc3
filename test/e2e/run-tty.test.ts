/**
 * run -it, exec -it and attach in a real pseudo-terminal (tmux): typed input reaches the shell, its
 * output comes back, exit statuses pass through, Ctrl-P Ctrl-Q detaches, the terminal size reaches the
 * container and follows a resize, and the local terminal settings are restored afterwards.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { docker, TDOCKER, TmuxSession, uniqueName } from '../helpers/run.js';

const containers: string[] = [];
const sessions: TmuxSession[] = [];
after(async () => {
  for (const s of sessions) await s.kill();
  if (containers.length) await docker(['rm', '-f', '-v', ...containers]);
});

async function session(cmd: string, w = 100, h = 30): Promise<TmuxSession> {
  const s = await TmuxSession.start(cmd, w, h);
  sessions.push(s);
  return s;
}

test('run -it: input, output, terminal size and resize, exit status', async () => {
  const name = uniqueName('tty-run');
  containers.push(name);
  const s = await session(`${TDOCKER} run -it --name ${name} busybox sh; echo "rc=$?"; sleep 30`, 90, 25);
  await s.waitFor(/#\s*$/m);
  await s.keys('echo typed-$((6*7))', 'Enter');
  await s.waitFor(/^typed-42$/m);
  await s.keys('stty size', 'Enter');
  await s.waitFor(/^25 90\s*$/m);
  await s.resize(120, 40);
  // the new size travels SIGWINCH -> tdocker -> engine -> container; ask once it had time to
  await new Promise((r) => setTimeout(r, 1000));
  await s.keys('stty size', 'Enter');
  await s.waitFor(/^40 120\s*$/m);
  await s.keys('exit 3', 'Enter');
  await s.waitFor(/^rc=3$/m);
});

test('run -it: Ctrl-P Ctrl-Q detaches and the container keeps running; attach reads it back', async () => {
  const name = uniqueName('tty-detach');
  containers.push(name);
  const s = await session(`${TDOCKER} run -it --name ${name} busybox sh; echo "rc=$?"; sleep 30`);
  await s.waitFor(/#\s*$/m);
  await s.keys('C-p', 'C-q');
  await s.waitFor(/(^|# )rc=0$/m);
  const state = await docker(['inspect', '--format', '{{.State.Running}}', name]);
  assert.equal(state.stdout, 'true\n');
  const a = await session(`${TDOCKER} attach ${name}; echo "attach-rc=$?"; sleep 30`);
  // wait until attached (the terminal in raw mode) before typing: in cooked mode the line discipline
  // would keep Ctrl-Q (XON) for itself
  await new Promise((r) => setTimeout(r, 500));
  await a.keys('echo back-$((1+1))', 'Enter');
  await a.waitFor(/^back-2$/m);
  await a.keys('C-p', 'C-q');
  // docker 28 returns the escape proxy's error from attach: printed, status 1 (faults-detach.test.ts compares it with docker)
  await a.waitFor(/read escape sequence[\s\S]*attach-rc=1$/m);
  assert.equal((await docker(['inspect', '--format', '{{.State.Running}}', name])).stdout, 'true\n');
});

test('exec -it: a shell in a running container, exit status passed through', async () => {
  const name = uniqueName('tty-exec');
  containers.push(name);
  assert.equal((await docker(['run', '-d', '--name', name, 'busybox', 'sleep', '300'])).code, 0);
  const s = await session(`${TDOCKER} exec -it ${name} sh; echo "exec-rc=$?"; sleep 30`);
  await s.waitFor(/#\s*$/m);
  await s.keys('echo inside-$((2+3)); hostname', 'Enter');
  await s.waitFor(/^inside-5$/m);
  await s.keys('exit 5', 'Enter');
  await s.waitFor(/^exec-rc=5$/m);
});

test('the local terminal is restored after run -it', async () => {
  const s = await session(`bash --norc --noprofile`);
  await s.keys('PS1="$ "; clear; before=$(stty -g)', 'Enter');
  await s.keys(`${TDOCKER} run -it --rm busybox sh -c 'exit 0'; echo "R=$([ "$(stty -g)" = "$before" ] && echo same || echo changed)"`, 'Enter');
  const screen = await s.waitFor(/^R=(same|changed)$/m);
  assert.match(screen, /^R=same$/m);
});
