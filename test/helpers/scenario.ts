/**
 * Run a compat-style scenario (one shell line per command, `$D` for the client) with docker and with
 * tdocker, each in a fresh working directory, and give both transcripts: the way
 * ../shared/compat/compat.py compares them, without its engine clean-up (tests share the engine).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCKER, TDOCKER, runProgram } from './run.js';

export interface Transcript {
  line: string;
  text: string;
}

export async function transcript(file: string, client: string, env: Record<string, string | undefined> = {}): Promise<Transcript[]> {
  const wd = mkdtempSync(join(tmpdir(), 'td-scenario-'));
  const out: Transcript[] = [];
  try {
    for (const raw of readFileSync(file, 'utf8').split('\n')) {
      const line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const r = await runProgram('bash', ['-c', `cd ${wd} && ${line}`], { env: { ...env, D: client }, timeout: 90_000 });
      const own = (t: string): string => t.replace(/\btdocker\b/g, 'docker');
      const nl = (t: string): string => (t && !t.endsWith('\n') ? t + '\n' : t);
      out.push({ line, text: `$ ${line}\n${nl(own(r.stdout))}[stderr]\n${nl(own(r.stderr))}[exit ${r.code}]\n` });
    }
  } finally {
    rmSync(wd, { recursive: true, force: true });
  }
  return out;
}

/** Both transcripts of a scenario: docker's and tdocker's. */
export async function bothTranscripts(file: string, env?: Record<string, string | undefined>): Promise<{ ref: Transcript[]; ours: Transcript[] }> {
  return { ref: await transcript(file, DOCKER, env), ours: await transcript(file, TDOCKER, env) };
}
