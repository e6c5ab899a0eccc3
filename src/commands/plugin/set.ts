import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { pluginPath, trimName } from './common.js';

export type PluginSetOptions = Record<string, never>;

export const spec = dockerSpec<PluginSetOptions>('plugin set', { args: minArgs(2), run: runPluginSet });

export async function runPluginSet(cli: Cli, _o: PluginSetOptions, [name, ...settings]: string[]): Promise<void> {
  const engine = await cli.engine();
  await engine.json({ method: 'POST', path: pluginPath(trimName(name), '/set'), body: settings });
}
