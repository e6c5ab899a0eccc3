import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { containerAction } from './action.js';

export const spec = dockerSpec<Record<string, never>>('container pause', { args: minArgs(1), run: runPause });

export async function runPause(cli: Cli, _o: Record<string, never>, args: string[]): Promise<void> {
  await containerAction(cli, args, (id) => ({ path: `/containers/${id}/pause` }));
}
