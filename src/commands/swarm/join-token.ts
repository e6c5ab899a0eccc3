import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import type { EngineClient as Engine } from '../../cli/engine-client.js';

export interface SwarmJoinTokenOptions {
  quiet: boolean;
  rotate: boolean;
}

export const spec = dockerSpec<SwarmJoinTokenOptions>('swarm join-token', { args: exactArgs(1), run: runJoinToken });

/** docker's printJoinCommand: the join command lines for the roles asked, from a manager. */
export async function printJoinCommand(cli: Cli, engine: Engine, nodeId: string, worker: boolean, manager: boolean): Promise<void> {
  const node = await engine.json<any>({ path: `/nodes/${encodeURIComponent(nodeId)}` });
  const sw = await engine.json<any>({ path: '/swarm' });
  if (!node.ManagerStatus) return;
  const bin = 'docker';
  if (worker) cli.print(`To add a worker to this swarm, run the following command:\n\n    ${bin} swarm join --token ${sw.JoinTokens.Worker} ${node.ManagerStatus.Addr}\n\n`);
  if (manager) cli.print(`To add a manager to this swarm, run the following command:\n\n    ${bin} swarm join --token ${sw.JoinTokens.Manager} ${node.ManagerStatus.Addr}\n\n`);
}

export async function runJoinToken(cli: Cli, o: SwarmJoinTokenOptions, [role]: string[]): Promise<void> {
  const worker = role === 'worker';
  const manager = role === 'manager';
  if (!worker && !manager) throw new StatusError('unknown role ' + role, 1);
  const engine = await cli.engine();
  if (o.rotate) {
    const sw = await engine.json<any>({ path: '/swarm' });
    await engine.json({ method: 'POST', path: '/swarm/update', query: { version: sw.Version.Index, rotateWorkerToken: String(worker), rotateManagerToken: String(manager), rotateManagerUnlockKey: 'false' }, body: sw.Spec });
    if (!o.quiet) cli.print(`Successfully rotated ${role} join token.\n\n`);
  }
  const sw = await engine.json<any>({ path: '/swarm' });
  if (o.quiet) {
    cli.print((worker ? sw.JoinTokens.Worker : sw.JoinTokens.Manager) + '\n');
    return;
  }
  const info = await engine.json<any>({ path: '/info' });
  await printJoinCommand(cli, engine, info.Swarm.NodeID, worker, manager);
}
