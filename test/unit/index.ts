/**
 * The unit suite in one process: every test/unit/*.test.ts, imported in name order. `node --test`
 * runs each file it is given in a process of its own, and with tsx each such process costs ~0.3 s
 * of CPU before its first test plus the loading of src/ again (~0.5 s for the command tree): run
 * per file, the 27 files spent more than half of the suite's CPU there. The files stay runnable
 * alone (`node --import tsx --test test/unit/fuzz.test.ts`); a test that changes process state
 * (process.env, Date.now) puts it back, as it must for the other tests of its own file anyway.
 */
import { readdirSync } from 'node:fs';

const dir = new URL('.', import.meta.url);
for (const f of readdirSync(dir).filter((n) => n.endsWith('.test.ts')).sort()) await import(new URL(f, dir).href);
