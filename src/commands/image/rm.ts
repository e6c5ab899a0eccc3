import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';

export interface RmiOptions {
  force: boolean;
  noPrune: boolean;
  platform: string[];
}

export const spec = dockerSpec<RmiOptions>('image rm', { aliases: ['remove'], args: minArgs(1), run: runRmi });

export async function runRmi(cli: Cli, o: RmiOptions, names: string[]): Promise<void> {
  const engine = await cli.engine();
  const errors: string[] = [];
  let fatal = false;
  for (const n of names) {
    try {
      const r = await engine.json<{ Untagged?: string; Deleted?: string }[]>({
        method: 'DELETE',
        path: `/images/${encodeURIComponent(n)}`,
        query: { force: o.force ? '1' : undefined, noprune: o.noPrune ? '1' : undefined },
      });
      for (const d of r ?? []) {
        if (d.Untagged) cli.print(`Untagged: ${d.Untagged}\n`);
        if (d.Deleted) cli.print(`Deleted: ${d.Deleted}\n`);
      }
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
      if ((e as { statusCode?: number }).statusCode !== 404) fatal = true;
      errors.push(e.message);
    }
  }
  if (!errors.length) return;
  // with -f, images that do not exist are reported but do not fail the command
  if (!o.force || fatal) throw new StatusError(errors.join('\n'), 1);
  cli.warn(errors.join('\n') + '\n');
}
