import type { Cli } from '../../cli/cli.js';
import { exactArgs, type Invocation } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';

export interface SwarmJoinOptions {
  advertiseAddr: string;
  availability: string;
  dataPathAddr: string;
  listenAddr: string;
  token: string;
}

export const spec = dockerSpec<SwarmJoinOptions>('swarm join', { args: exactArgs(1), run: runSwarmJoin });

export async function runSwarmJoin(cli: Cli, o: SwarmJoinOptions, [remote]: string[], inv: Invocation): Promise<void> {
  const body: Record<string, unknown> = {
    JoinToken: o.token,
    ListenAddr: o.listenAddr || '0.0.0.0:2377',
    AdvertiseAddr: o.advertiseAddr,
    DataPathAddr: o.dataPathAddr,
    RemoteAddrs: [remote],
  };
  if (inv.changed.has('availability')) {
    const a = o.availability.toLowerCase();
    if (!['active', 'pause', 'drain'].includes(a)) throw new StatusError(`invalid availability "${o.availability}", only active, pause and drain are supported`, 1);
    body.Availability = a;
  }
  const engine = await cli.engine();
  await engine.json({ method: 'POST', path: '/swarm/join', body });
  const info = await engine.json<any>({ path: '/info' });
  cli.print(info.Swarm?.ControlAvailable ? 'This node joined a swarm as a manager.\n' : 'This node joined a swarm as a worker.\n');
}
