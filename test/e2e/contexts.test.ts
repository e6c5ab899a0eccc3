import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, docker, tdocker, uniqueName } from '../helpers/run.js';
import { bothTranscripts } from '../helpers/scenario.js';

const SHARED = join(ROOT, '..', '..', 'shared', 'compat', 'scenarios', 'contexts.sh');

async function compare(file: string): Promise<void> {
  const { ref, ours } = await bothTranscripts(file, { DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined });
  assert.equal(ours.length, ref.length);
  // the engine is shared with other tests (compat.py cleans it; we cannot): a count of the running
  // containers is the one thing that may change between the two runs
  const n = (t: { line: string; text: string }): string => (t.line.includes('| wc -l') ? t.text.replace(/^\d+\n(?=\[stderr\])/m, '<N>\n') : t.text);
  for (let i = 0; i < ref.length; i++) assert.equal(n(ours[i]), n(ref[i]));
}

test('the compat scenario contexts.sh: every line as docker prints it', { skip: !existsSync(SHARED) && 'no shared compat scenarios' }, async () => {
  await compare(SHARED);
});

test('context errors, --from, TLS files, export/import through pipes, the default context under -H and --tls', async () => {
  await compare(join(ROOT, 'test', 'e2e', 'fixtures', 'contexts-edge.sh'));
});

test('contexts written by docker serve tdocker, and the reverse', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'td-ctx-interop-'));
  const env = { DOCKER_CONFIG: dir, DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined };
  const a = uniqueName('bydocker');
  const b = uniqueName('bytdocker');
  try {
    writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    assert.equal((await docker(['context', 'create', a, '--description', 'made by docker', '--docker', 'host=unix:///var/run/docker.sock'], { env })).code, 0);
    assert.equal((await tdocker(['context', 'create', b, '--description', 'made by tdocker', '--docker', `host=tcp://127.0.0.1:1,ca=${join(dir, 'ca.pem')}`], { env })).code, 0);
    // each reads the other's files
    const r1 = await tdocker(['--context', a, 'version', '--format', '{{.Client.Context}} {{.Server.Os}}'], { env });
    assert.equal(r1.stdout, `${a} linux\n`);
    const r2 = await docker(['context', 'inspect', b, '--format', '{{.Metadata.Metadata.Description}} {{.Endpoints.docker.Host}} {{json .TLSMaterial}}'], { env });
    assert.equal(r2.stdout, 'made by tdocker tcp://127.0.0.1:1 {"docker":["ca.pem"]}\n');
    const lsRef = await docker(['context', 'ls'], { env });
    const lsOurs = await tdocker(['context', 'ls'], { env });
    assert.equal(lsOurs.stdout, lsRef.stdout);
    // docker uses the context tdocker made, and the reverse, for a command that needs the engine
    assert.equal((await docker(['context', 'use', a], { env })).code, 0);
    assert.equal((await tdocker(['ps', '-q', '--filter', 'name=^nosuchcontainer$'], { env })).code, 0);
    assert.equal((await tdocker(['context', 'use', 'default'], { env })).code, 0);
    assert.equal((await docker(['context', 'show'], { env })).stdout, 'default\n');
    // archives: docker's export imported by tdocker, tdocker's by docker
    const fromDocker = join(dir, 'a.ctx');
    const fromOurs = join(dir, 'b.ctx');
    assert.equal((await docker(['context', 'export', b, fromDocker], { env })).code, 0);
    assert.equal((await tdocker(['context', 'export', b, fromOurs], { env })).code, 0);
    assert.equal((await tdocker(['context', 'import', `${b}-1`, fromDocker], { env })).code, 0);
    assert.equal((await docker(['context', 'import', `${b}-2`, fromOurs], { env })).code, 0);
    const fmt = ['--format', '{{.Name}} {{json .Endpoints}} {{json .TLSMaterial}} {{.Metadata.Metadata.Description}}'];
    assert.equal((await tdocker(['context', 'inspect', ...fmt, `${b}-2`], { env })).stdout, `${b}-2 {"docker":{"Host":"tcp://127.0.0.1:1","SkipTLSVerify":false}} {"docker":["ca.pem"]} made by tdocker\n`);
    assert.equal((await docker(['context', 'inspect', ...fmt, `${b}-1`], { env })).stdout, `${b}-1 {"docker":{"Host":"tcp://127.0.0.1:1","SkipTLSVerify":false}} {"docker":["ca.pem"]} made by tdocker\n`);
    // removal by the other client
    assert.equal((await docker(['context', 'rm', b, `${b}-1`], { env })).code, 0);
    assert.equal((await tdocker(['context', 'rm', a, `${b}-2`], { env })).code, 0);
    assert.equal((await docker(['context', 'ls', '-q'], { env })).stdout, 'default\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
