import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { updateNode } from './common.js';

export type NodeDemoteOptions = Record<string, never>;

export const spec = dockerSpec<NodeDemoteOptions>('node demote', { args: minArgs(1), run: runNodeDemote });

export async function runNodeDemote(cli: Cli, _o: NodeDemoteOptions, ids: string[]): Promise<void> {
  const engine = await cli.engine();
  for (const id of ids) {
    let same = false;
    try {
      await updateNode(engine, id, (n) => {
        if (n.Spec.Role === 'worker') {
          cli.print(`Node ${n.ID} is already a worker.\n`);
          same = true;
          throw new Error('no change');
        }
        n.Spec.Role = 'worker';
      });
    } catch (e) {
      if (same) continue;
      throw e instanceof StatusError ? e : new StatusError((e as Error).message, 1);
    }
    cli.print(`Manager ${id} demoted in the swarm.\n`);
  }
}
