import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';

export interface NetworkDisconnectOptions {
  force: boolean;
}

export const spec = dockerSpec<NetworkDisconnectOptions>('network disconnect', { args: exactArgs(2), run: runNetworkDisconnect });

export async function runNetworkDisconnect(cli: Cli, o: NetworkDisconnectOptions, [network, container]: string[]): Promise<void> {
  const engine = await cli.engine();
  await engine.json({ method: 'POST', path: `/networks/${encodeURIComponent(network)}/disconnect`, body: { Container: container, Force: o.force } });
}
