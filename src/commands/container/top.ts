import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { tabwrite } from '../../format/table.js';

export const spec = dockerSpec<Record<string, never>>('container top', { args: minArgs(1), interspersed: false, run: runTop });

export async function runTop(cli: Cli, _o: Record<string, never>, [name, ...psArgs]: string[]): Promise<void> {
  const engine = await cli.engine();
  const r = await engine.json<{ Titles: string[]; Processes: string[][] }>({
    path: `/containers/${encodeURIComponent(name)}/top`,
    query: { ps_args: psArgs.length ? psArgs.join(' ') : undefined },
  });
  const text = [r.Titles, ...(r.Processes ?? [])].map((row) => row.join('\t')).join('\n') + '\n';
  cli.print(tabwrite(text, { minwidth: 20, padding: 3 }));
}
