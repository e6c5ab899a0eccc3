import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { pluginPath, trimName } from './common.js';

export interface PluginDisableOptions {
  force: boolean;
}

export const spec = dockerSpec<PluginDisableOptions>('plugin disable', { args: exactArgs(1), run: runPluginDisable });

export async function runPluginDisable(cli: Cli, o: PluginDisableOptions, [name]: string[]): Promise<void> {
  const engine = await cli.engine();
  await engine.json({ method: 'POST', path: pluginPath(trimName(name), '/disable'), query: { force: o.force ? '1' : undefined } });
  cli.print(name + '\n');
}
