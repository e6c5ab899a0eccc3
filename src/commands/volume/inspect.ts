import type { Cli } from '../../cli/cli.js';
import { minArgs, type CommandNode } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { inspectObject } from '../../engine/inspect.js';
import { printInspected } from '../inspect-common.js';

export interface VolumeInspectOptions {
  format: string;
}

export const spec = dockerSpec<VolumeInspectOptions>('volume inspect', { args: minArgs(1), run: runVolumeInspect });

export function register(parent: CommandNode): CommandNode {
  return parent.add(spec);
}

export async function runVolumeInspect(cli: Cli, o: VolumeInspectOptions, names: string[]): Promise<void> {
  const engine = await cli.engine();
  await printInspected(cli, names, o.format, (n) => inspectObject(engine, 'volume', n));
}
