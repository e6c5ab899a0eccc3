import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { changeRole } from './common.js';

export type NodeDemoteOptions = Record<string, never>;

export const spec = dockerSpec<NodeDemoteOptions>('node demote', { args: minArgs(1), run: runNodeDemote });

export async function runNodeDemote(cli: Cli, _o: NodeDemoteOptions, ids: string[]): Promise<void> {
  await changeRole(cli, ids, 'worker', (id) => `Manager ${id} demoted in the swarm.\n`);
}
