/**
 * Fuzz: random, malformed command lines over every command of the tree (taken from the tree's own
 * specs), run in-process against an engine that is not there. Each must end with one of docker's exit
 * statuses, without a stack trace and without hanging. Seeded, so a failure can be replayed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTree, type DockerCommand } from '../../src/cli/command.js';
import { commonOrder, groups, topLevel } from '../../src/commands/index.js';
import { runMain } from '../helpers/inprocess.js';

const RUNS = Number(process.env.TDOCKER_FUZZ_RUNS ?? 3000);
const STATUSES = new Set([0, 1, 64, 125]);

function leaves(node: DockerCommand, path: string[] = []): { path: string[]; node: DockerCommand }[] {
  return node.children.flatMap((c) => (c.isGroup ? leaves(c, [...path, c.name()]) : [{ path: [...path, c.name()], node: c }]));
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

test(`fuzz: ${RUNS} malformed command lines, docker's statuses only, no stack trace, no hang`, async () => {
  const root = buildTree('tdocker', groups, topLevel, commonOrder);
  const all = leaves(root);
  const home = mkdtempSync(join(tmpdir(), 'fuzz-'));
  const rand = rng(Number(process.env.TDOCKER_FUZZ_SEED ?? 14));
  const pick = <T>(a: T[]): T => a[Math.floor(rand() * a.length)];
  const junk = ['', '-', '--', '---', '-=', '--=x', 'x', 'a//b', 'unix:///x', '{{.Foo', '{{json .}}', '-1', '0x', '99999999999999999999', 'é', '\u0000', 'k=v', '=', ':', 'a:b:c', '/nonexistent/x'];
  try {
    for (let i = 0; i < RUNS; i++) {
      const { path, node } = pick(all);
      const flags = node.spec?.flags ?? [];
      const argv = [...path];
      const n = Math.floor(rand() * 5);
      for (let k = 0; k < n; k++) {
        const r = rand();
        if (r < 0.45 && flags.length) {
          const f = pick(flags);
          const name = f.short && rand() < 0.3 ? `-${f.short}` : `--${f.name}`;
          argv.push(rand() < 0.5 ? `${name}=${pick(junk)}` : name);
          if (rand() < 0.5) argv.push(pick(junk));
        } else argv.push(pick(junk));
      }
      // a hang is 30 s without an answer: one line took over 10 s in a full unit run beside eight engineers (load 14)
      // never a real build context or a real local path: relative names resolve in an empty directory
      const r = await Promise.race([
        runMain(['-H', `unix://${home}/nosuch.sock`, ...argv], { HOME: home, DOCKER_CONFIG: join(home, '.docker') }, home),
        new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`hang: ${JSON.stringify(argv)}`)), 30_000).unref()),
      ]);
      assert.ok(STATUSES.has(r.code), `status ${r.code} for ${JSON.stringify(argv)}: ${r.err}`);
      assert.doesNotMatch(r.err, /\n\s+at .*\(.*:\d+:\d+\)|TypeError|ReferenceError|RangeError/, `stack trace for ${JSON.stringify(argv)}`);
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
