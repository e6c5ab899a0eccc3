/**
 * Imports point down the layers only: entry → main → commands → compose → format → engine → stream →
 * cli → go (src/version.ts is a leaf like go; src/fast.ts an entry point like src/entry.ts). Type-only imports count too: a layer that names a type
 * of a layer above depends on it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from '../helpers/run.js';

const LAYERS = ['entry', 'main', 'commands', 'compose', 'format', 'engine', 'stream', 'cli', 'go'];
const SRC = join(ROOT, 'src');

function layerOf(file: string): number {
  const rel = relative(SRC, file);
  const top = rel.split('/')[0].replace(/\.ts$/, '');
  // src/fast.ts, the start-up fast path, is an entry point beside src/entry.ts
  const i = LAYERS.indexOf(top === 'version' ? 'go' : top === 'fast' ? 'entry' : top);
  if (i < 0) throw new Error(`${rel}: in no layer`);
  return i;
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

export function upwardImports(): string[] {
  const bad: string[] = [];
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)) {
      const spec = m[1] ?? m[2];
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      if (layerOf(target) < layerOf(file)) bad.push(`${relative(SRC, file)} -> ${relative(SRC, target)}`);
    }
  }
  return bad;
}

test('no file under src/ imports a layer above its own', () => {
  assert.deepEqual(upwardImports(), []);
});
