import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';

export interface NodeRmOptions {
  force: boolean;
}

export const spec = dockerSpec<NodeRmOptions>('node rm', { aliases: ['remove'], args: minArgs(1), run: runNodeRm });

export async function runNodeRm(cli: Cli, o: NodeRmOptions, ids: string[]): Promise<void> {
  const engine = await cli.engine();
  const errs: string[] = [];
  for (const id of ids) {
    try {
      await engine.json({ method: 'DELETE', path: `/nodes/${encodeURIComponent(id)}`, query: { force: o.force ? 'true' : undefined } });
      cli.print(id + '\n');
    } catch (e) {
      errs.push((e as Error).message);
    }
  }
  if (errs.length) throw new StatusError(errs.join('\n'), 1);
}
