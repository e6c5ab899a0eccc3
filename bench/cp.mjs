#!/usr/bin/env node
// tdocker cp vs docker cp of a 500 MB tree, out of and into a container: wall, client CPU (user+sys,
// GNU time), peak RSS; medians of alternating runs. Measurement code: bench/streams.mjs.
//   node bench/cp.mjs [runs]
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const r = spawnSync(process.execPath, [join(here, 'streams.mjs'), process.argv[2] ?? '3', 'cp-out', 'cp-in'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
