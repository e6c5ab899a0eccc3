import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TDOCKER, TmuxSession, docker, tdocker, uniqueName } from '../helpers/run.js';

const stopped = uniqueName('tdcomplpty');
const running = uniqueName('tdcomplpty');
const bindir = mkdtempSync(join(tmpdir(), 'tdcompl-'));
symlinkSync(TDOCKER, join(bindir, 'docker'));
symlinkSync(TDOCKER, join(bindir, 'tdocker'));
after(async () => {
  await docker(['rm', '-f', stopped, running]);
  rmSync(bindir, { recursive: true, force: true });
});

test('completion scripts are valid shell and name the program they are generated for', async () => {
  const r = await tdocker(['completion', 'bash']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /complete -F __tdocker_complete tdocker\n$/);
  for (const sh of ['zsh', 'fish', 'powershell']) assert.equal((await tdocker(['completion', sh])).code, 0);
});

for (const prog of ['tdocker', 'docker']) {
  test(`bash under a pseudo-terminal: Tab after '${prog} rm ' completes a stopped container's name (tdocker as ${prog})`, async () => {
    await docker(['create', '--name', stopped, 'busybox', 'true']);
    await docker(['run', '-d', '--name', running, 'busybox', 'sleep', '300']);
    const s = await TmuxSession.start(`env -i HOME=/tmp TERM=xterm PATH=${bindir}:/usr/local/bin:/usr/bin:/bin bash --norc --noprofile`, 200, 20);
    try {
      await s.keys(`PS1='$ '; source <(${prog} completion bash); echo loaded`, 'Enter');
      await s.waitFor(/^loaded$/m);
      await s.keys('clear', 'Enter');
      // the running container shares the prefix but rm does not offer it: the stopped one is the only candidate
      await s.keys(`${prog} rm tdcomplpty-`, 'Tab');
      const screen = await s.waitFor(new RegExp(`^\\$ ${prog} rm ${stopped}$`, 'm'));
      assert.ok(!screen.includes(running));
      await s.keys('C-u', `${prog} stop tdcomplpty-`, 'Tab');
      await s.waitFor(new RegExp(`^\\$ ${prog} stop ${running}$`, 'm'));
    } finally {
      await s.kill();
      await docker(['rm', '-f', stopped, running]);
    }
  });
}
