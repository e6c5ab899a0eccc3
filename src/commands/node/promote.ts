import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { changeRole } from './common.js';

export type NodePromoteOptions = Record<string, never>;

export const spec = dockerSpec<NodePromoteOptions>('node promote', { args: minArgs(1), run: runNodePromote });

export async function runNodePromote(cli: Cli, _o: NodePromoteOptions, ids: string[]): Promise<void> {
  await changeRole(cli, ids, 'manager', (id) => `Node ${id} promoted to a manager in the swarm.\n`);
}
