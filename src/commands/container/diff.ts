import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';

export const spec = dockerSpec<Record<string, never>>('container diff', { args: exactArgs(1), run: runDiff });

const KINDS = ['C', 'A', 'D'];

export async function runDiff(cli: Cli, _o: Record<string, never>, [name]: string[]): Promise<void> {
  const engine = await cli.engine();
  const changes = await engine.json<{ Kind: number; Path: string }[] | null>({ path: `/containers/${encodeURIComponent(name)}/changes` });
  // in the engine's order, as docker prints them (it sorts nothing)
  cli.print((changes ?? []).map((c) => `${KINDS[c.Kind] ?? '?'} ${c.Path}\n`).join(''));
}
