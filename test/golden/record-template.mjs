#!/usr/bin/env node
// Re-record test/golden/template-version.json from the reference docker: each case is a template run
// through `docker version --format`, and the data docker ran it on (its `{{json .}}`), so the unit test
// can run the same template on the same data in-process.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const file = fileURLToPath(new URL('./template-version.json', import.meta.url));
const golden = JSON.parse(readFileSync(file, 'utf8'));
const run = (t) => spawnSync('docker', ['version', '--format', t], { encoding: 'utf8' });
const data = run('{{json .}}');
if (data.status !== 0) {
  console.error('reference docker unavailable; goldens left as they are');
  process.exit(0);
}
golden.data = JSON.parse(data.stdout);
golden.cases = golden.cases.map(({ template }) => {
  const r = run(template);
  return { template, stdout: r.stdout, stderr: r.stderr, status: r.status };
});
writeFileSync(file, JSON.stringify(golden, null, 1) + '\n');
console.log(`recorded ${golden.cases.length} cases`);
