#!/usr/bin/env node
// tdocker logs vs docker logs of a container that wrote 200 MB in short lines: wall, client CPU
// (user+sys, GNU time), peak RSS; medians of alternating runs. Measurement code: bench/streams.mjs.
//   node bench/logs.mjs [runs]
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const r = spawnSync(process.execPath, [join(here, 'streams.mjs'), process.argv[2] ?? '3', 'logs'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
