import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { readLine } from '../../stream/prompt.js';
import { readSecret } from '../../stream/terminal.js';

export const spec = dockerSpec<Record<string, never>>('swarm unlock', { args: noArgs, run: runSwarmUnlock });

/** docker swarm unlock: only a locked node is asked for its key (no echo on a terminal, else a line of stdin). */
export async function runSwarmUnlock(cli: Cli): Promise<void> {
  const engine = await cli.engine();
  const info = await engine.json<any>({ path: '/info' });
  switch (info.Swarm?.LocalNodeState) {
    case 'inactive':
      throw new StatusError('Error: This node is not part of a swarm', 1);
    case 'locked':
      break;
    case 'pending':
    case 'active':
    case 'error':
      throw new StatusError('Error: swarm is not locked', 1);
  }
  let key: string;
  if (cli.in.isTTY) {
    cli.print('Enter unlock key: ');
    key = await readSecret(cli);
    cli.print('\n');
  } else key = (await readLine(cli)).trim();
  await engine.json({ method: 'POST', path: '/swarm/unlock', body: { UnlockKey: key } });
}
