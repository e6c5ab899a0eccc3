import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { containerAction } from './action.js';

export const spec = dockerSpec<Record<string, never>>('container unpause', { args: minArgs(1), run: runUnpause });

export async function runUnpause(cli: Cli, _o: Record<string, never>, args: string[]): Promise<void> {
  await containerAction(cli, args, (id) => ({ path: `/containers/${id}/unpause` }));
}
