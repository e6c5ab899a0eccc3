import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { updateNode } from './common.js';

export type NodePromoteOptions = Record<string, never>;

export const spec = dockerSpec<NodePromoteOptions>('node promote', { args: minArgs(1), run: runNodePromote });

export async function runNodePromote(cli: Cli, _o: NodePromoteOptions, ids: string[]): Promise<void> {
  const engine = await cli.engine();
  for (const id of ids) {
    let same = false;
    try {
      await updateNode(engine, id, (n) => {
        if (n.Spec.Role === 'manager') {
          cli.print(`Node ${n.ID} is already a manager.\n`);
          same = true;
          throw new Error('no change');
        }
        n.Spec.Role = 'manager';
      });
    } catch (e) {
      if (same) continue;
      throw e instanceof StatusError ? e : new StatusError((e as Error).message, 1);
    }
    cli.print(`Node ${id} promoted to a manager in the swarm.\n`);
  }
}
