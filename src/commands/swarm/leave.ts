import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';

export interface SwarmLeaveOptions {
  force: boolean;
}

export const spec = dockerSpec<SwarmLeaveOptions>('swarm leave', { args: noArgs, run: runSwarmLeave });

export async function runSwarmLeave(cli: Cli, o: SwarmLeaveOptions): Promise<void> {
  const engine = await cli.engine();
  await engine.json({ method: 'POST', path: '/swarm/leave', query: { force: o.force ? 'true' : 'false' } });
  cli.print('Node left the swarm.\n');
}
