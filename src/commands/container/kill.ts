import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { containerAction } from './action.js';

export interface KillOptions {
  signal: string;
}

export const spec = dockerSpec<KillOptions>('container kill', { args: minArgs(1), run: runKill });

export async function runKill(cli: Cli, o: KillOptions, args: string[]): Promise<void> {
  await containerAction(cli, args, (id) => ({ path: `/containers/${id}/kill`, query: { signal: o.signal || undefined } }));
}
