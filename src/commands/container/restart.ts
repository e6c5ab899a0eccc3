import type { Cli } from '../../cli/cli.js';
import { minArgs, type Invocation } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { containerAction } from './action.js';

export interface RestartOptions {
  signal: string;
  timeout: number;
}

export const spec = dockerSpec<RestartOptions>('container restart', { args: minArgs(1), run: runRestart });

export async function runRestart(cli: Cli, o: RestartOptions, args: string[], inv: Invocation): Promise<void> {
  const query = { t: inv.changed.has('timeout') ? String(o.timeout) : undefined, signal: o.signal || undefined };
  await containerAction(cli, args, (id) => ({ path: `/containers/${id}/restart`, query }));
}
