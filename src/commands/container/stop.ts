import type { Cli } from '../../cli/cli.js';
import { minArgs, type Invocation } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { containerAction } from './action.js';

export interface StopOptions {
  signal: string;
  timeout: number;
}

export const spec = dockerSpec<StopOptions>('container stop', { args: minArgs(1), run: runStop });

export async function runStop(cli: Cli, o: StopOptions, args: string[], inv: Invocation): Promise<void> {
  const query = { t: inv.changed.has('timeout') ? String(o.timeout) : undefined, signal: o.signal || undefined };
  await containerAction(cli, args, (id) => ({ path: `/containers/${id}/stop`, query }));
}
