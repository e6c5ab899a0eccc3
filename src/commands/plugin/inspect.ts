import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { inspectObject } from '../../engine/inspect.js';
import { printInspected } from '../print-inspected.js';
import { trimName } from './common.js';

export interface PluginInspectOptions {
  format: string;
}

export const spec = dockerSpec<PluginInspectOptions>('plugin inspect', { args: minArgs(1), run: runPluginInspect });

export async function runPluginInspect(cli: Cli, o: PluginInspectOptions, names: string[]): Promise<void> {
  const engine = await cli.engine();
  await printInspected(cli, names, o.format, (n) => inspectObject(engine, 'plugin', trimName(n)));
}
