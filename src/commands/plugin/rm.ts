import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError, errorMessage } from '../../cli/errors.js';
import { pluginPath, trimName } from './common.js';

export interface PluginRmOptions {
  force: boolean;
}

export const spec = dockerSpec<PluginRmOptions>('plugin rm', { aliases: ['remove'], args: minArgs(1), run: runPluginRm });

export async function runPluginRm(cli: Cli, o: PluginRmOptions, names: string[]): Promise<void> {
  const engine = await cli.engine();
  const errs: string[] = [];
  for (const n of names) {
    try {
      await engine.json({ method: 'DELETE', path: pluginPath(trimName(n)), query: { force: o.force ? '1' : undefined } });
    } catch (e) {
      if (e instanceof StatusError && e.status !== 1) throw e;
      errs.push(errorMessage(e));
      continue;
    }
    cli.print(n + '\n');
  }
  // errors.Join: one per line
  if (errs.length) throw new StatusError(errs.join('\n'), 1);
}
