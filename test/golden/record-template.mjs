#!/usr/bin/env node
// Re-record the template goldens from the reference docker (run when docker and an engine are present):
//  - template-version.json: each case is a template run through `docker version --format`, with the
//    data docker ran it on (its `{{json .}}`), so the unit test runs the same template on the same data.
//  - template-map.json: templates run on the raw map[string]interface{} of `docker image inspect busybox`
//    (docker falls back to the raw map, with missingkey=error, when the typed struct fails; the prefix
//    `{{$_ := .Id}}` forces that, as .Id exists only in the JSON).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const versionFile = fileURLToPath(new URL('./template-version.json', import.meta.url));
const mapFile = fileURLToPath(new URL('./template-map.json', import.meta.url));
const run = (args) => spawnSync('docker', args, { encoding: 'utf8' });

const data = run(['version', '--format', '{{json .}}']);
if (data.status !== 0) {
  console.error('reference docker unavailable; goldens left as they are');
  process.exit(0);
}
const golden = JSON.parse(readFileSync(versionFile, 'utf8'));
golden.data = JSON.parse(data.stdout);
golden.cases = golden.cases.map(({ template }) => {
  const r = run(['version', '--format', template]);
  return { template, stdout: r.stdout, stderr: r.stderr, status: r.status };
});
writeFileSync(versionFile, JSON.stringify(golden, null, 1) + '\n');
console.log(`recorded ${golden.cases.length} version cases`);

const raw = run(['image', 'inspect', 'busybox']);
if (raw.status !== 0) {
  console.error('no busybox image; map goldens left as they are');
  process.exit(0);
}
const maps = JSON.parse(readFileSync(mapFile, 'utf8'));
maps.data = JSON.parse(raw.stdout)[0];
maps.cases = maps.cases.map(({ template }) => {
  const r = run(['image', 'inspect', 'busybox', '--format', maps.prefix + template]);
  return { template, stdout: r.stdout, stderr: r.stderr, status: r.status };
});
writeFileSync(mapFile, JSON.stringify(maps, null, 1) + '\n');
console.log(`recorded ${maps.cases.length} map cases`);
