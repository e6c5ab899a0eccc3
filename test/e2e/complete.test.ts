import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { both, docker, uniqueName } from '../helpers/run.js';

const stopped = uniqueName('tdcompl');
const running = uniqueName('tdcompl');
const vol = uniqueName('tdcomplv');
after(async () => {
  await docker(['rm', '-f', stopped, running]);
  await docker(['volume', 'rm', vol]);
});

/** Candidates as a sorted set (the engine lists networks and volumes in no fixed order), then the directive. */
function shape(out: string, dynamic: boolean): string {
  // where the candidates are the engine's objects, only ours and the fixed ones are compared (other
  // tests create and remove theirs meanwhile)
  const fixed = /tdcompl|^busybox:latest$|^(bridge|host|none)$|^:/;
  const lines = out.split('\n').filter((l) => l !== '' && (!dynamic || fixed.test(l)));
  const directive = lines.pop();
  return [...lines.sort(), directive].join('\n');
}

// command lines whose candidates do not depend on commands tdocker lacks
const cases: string[][] = [
  ['cont'], ['container', ''], ['container', 'r'], ['container', 's'], ['rm', ''], ['stop', ''], ['start', ''], ['kill', ''],
  ['logs', ''], ['wait', ''], ['container', 'rm', ''], ['ps', '--f'], ['ps', '--format', ''], ['run', '--network', ''],
  ['run', '--log-driver', ''], ['volume', 'rm', ''], ['volume', 'inspect', ''], ['network', 'rm', ''], ['network', 'connect', ''],
  ['rmi', ''], ['tag', ''], ['history', ''], ['image', ''], ['image', 'rm', ''], ['network', ''], ['system', ''], ['rm', '-f', ''],
  ['inspect', ''], ['kill', '-'], ['rm', '--'], ['volume', 'create', ''], ['ps', '-a', '-'], ['image', 'ls', ''], ['ps', ''],
  ['rm', '--force', '--'], ['network', 'i'], ['run', '--network=', ''], ['exec', ''], ['pause', ''], ['unpause', ''],
];

test('__complete and __completeNoDesc: the same candidates and directive as docker 28 for 40 command lines', async () => {
  await docker(['create', '--name', stopped, 'busybox', 'true']);
  await docker(['run', '-d', '--name', running, 'busybox', 'sleep', '300']);
  await docker(['volume', 'create', vol]);
  let compared = 0;
  for (const words of cases) {
    for (const verb of ['__complete', '__completeNoDesc']) {
      // flag descriptions come from help texts laid out differently: compare names for flag lists
      const v = verb === '__complete' && words[words.length - 1].startsWith('-') ? '__completeNoDesc' : verb;
      // other tests change the engine's containers meanwhile: a differing answer is asked again
      const last = words[words.length - 1];
      const dynamic = !last.startsWith('-') && !(words.length === 1 || ['container', 'image', 'network', 'system'].includes(words[0]) && words.length === 2);
      let { ref, ours } = await both([v, ...words]);
      for (let i = 0; i < 3 && shape(ours.stdout, dynamic) !== shape(ref.stdout, dynamic); i++) ({ ref, ours } = await both([v, ...words]));
      assert.equal(ours.code, 0);
      assert.equal(shape(ours.stdout, dynamic), shape(ref.stdout, dynamic), `${v} ${words.join(' ')}`);
      assert.equal(ours.stderr, ref.stderr, `${v} ${words.join(' ')}`);
      compared++;
    }
  }
  assert.equal(compared, cases.length * 2);
  // the stopped container is offered by rm, not by stop; the running one the other way round
  const rm = (await both(['__completeNoDesc', 'rm', ''])).ours.stdout.split('\n');
  assert.ok(rm.includes(stopped) && !rm.includes(running));
  const stop = (await both(['__completeNoDesc', 'stop', ''])).ours.stdout.split('\n');
  assert.ok(stop.includes(running) && !stop.includes(stopped));
});
