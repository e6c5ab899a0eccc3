/** The golden suite's fixture and runner (test/unit/golden-cli.test.ts; see test/golden/record-cli.mjs). */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runMain } from './inprocess.js';
import { FakeEngine, type Exchange } from './fake-engine.js';

export interface Golden {
  args: string[];
  env?: Record<string, string>;
  set?: string;
  now: number;
  stdout: string;
  stderr: string;
  status: number;
}

const dir = new URL('../golden/cli/', import.meta.url).pathname;
export const fixture = JSON.parse(readFileSync(join(dir, 'engine.json'), 'utf8')) as {
  replaySocket: string;
  /** the config directory docker ran with (its paths appear in context inspect) */
  configDir: string;
  config: Record<string, string>;
  exchanges: Record<string, Exchange[]>;
};

/** the goldens per file (one file per verb or group of verbs) */
export function goldenFiles(): [string, Golden[]][] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'engine.json')
    .sort()
    .map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(join(dir, f), 'utf8')) as Golden[]]);
}

export async function runGolden(g: Golden, home: string): Promise<{ code: number; out: string; err: string; requests: string[] }> {
  const realNow = Date.now;
  const tz = process.env.TZ;
  let fake: FakeEngine | undefined;
  Date.now = () => g.now;
  process.env.TZ = g.env?.TZ ?? 'UTC';
  try {
    const r = await runMain(['-H', `unix://${fixture.replaySocket}`, ...g.args], { HOME: home, DOCKER_CONFIG: home, TZ: process.env.TZ }, home, async (endpoint) => {
      fake = new FakeEngine(fixture.exchanges[g.set ?? 'base'], endpoint);
      return fake;
    });
    return { ...r, requests: fake?.requests ?? [] };
  } finally {
    Date.now = realNow;
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  }
}

