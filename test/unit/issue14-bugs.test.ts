// Bugs of issue 14 fixed with tests that failed before: progress output splitting UTF-8 across
// chunks, login's flag checks as docker 28.2 words them (texts taken from docker 28.2.2 itself).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { displayJSONMessages } from '../../src/stream/progress.js';
import { runMain } from '../helpers/inprocess.js';

test('progress: a character split across two chunks prints whole', async () => {
  const line = Buffer.from('{"status":"café ☃ done"}\n{"id":"x","status":"naïve"}\n');
  // cut inside é (2 bytes), inside ☃ (3 bytes) and inside ï
  const cuts = [line.indexOf(0xc3) + 1, line.indexOf(0xe2) + 2, line.lastIndexOf(0xc3) + 1];
  const chunks: Buffer[] = [];
  let from = 0;
  for (const c of cuts) {
    chunks.push(line.subarray(from, c));
    from = c;
  }
  chunks.push(line.subarray(from));
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  await displayJSONMessages(Readable.from(chunks), out, { isTerminal: false });
  assert.equal(text, 'café ☃ done\nx: naïve\n');
});

test("login: docker 28.2's flag checks and texts", async () => {
  const home = mkdtempSync(join(tmpdir(), 'login-'));
  try {
    const cases: [string[], string][] = [
      [['--password-stdin', '-p', 'x', 'localhost:5000'], 'conflicting options: cannot specify both --password and --password-stdin\n'],
      [['-u', 'x', '--password-stdin', '-p', '', 'localhost:5000'], 'conflicting options: cannot specify both --password and --password-stdin\n'],
      [['--password-stdin', 'localhost:5000'], 'the --password-stdin option requires --username to be set\n'],
      [['-u', '', 'localhost:5000'], 'username is empty\n'],
      [['-u', 'x', '-p', '', 'localhost:5000'], 'password is empty\n'],
    ];
    for (const [args, err] of cases) {
      const r = await runMain(['login', ...args], { HOME: home, DOCKER_CONFIG: home }, home);
      assert.deepEqual({ err: r.err, code: r.code }, { err, code: 1 }, args.join(' '));
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
