import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { pluginPath, trimName } from './common.js';

export interface PluginEnableOptions {
  timeout: number;
}

export const spec = dockerSpec<PluginEnableOptions>('plugin enable', { args: exactArgs(1), run: runPluginEnable });

export async function runPluginEnable(cli: Cli, o: PluginEnableOptions, [name]: string[]): Promise<void> {
  if (o.timeout < 0) throw new StatusError(`negative timeout ${o.timeout} is invalid`, 1);
  const engine = await cli.engine();
  await engine.json({ method: 'POST', path: pluginPath(trimName(name), '/enable'), query: { timeout: String(o.timeout) } });
  cli.print(name + '\n');
}
