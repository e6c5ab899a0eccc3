import type { Cli } from '../../cli/cli.js';
import { minArgs, type CommandNode } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { inspectObject } from '../../engine/inspect.js';
import { printInspected } from '../inspect-common.js';

export interface ContainerInspectOptions {
  format: string;
  size: boolean;
}

export const spec = dockerSpec<ContainerInspectOptions>('container inspect', { args: minArgs(1), run: runContainerInspect });

export function register(parent: CommandNode): CommandNode {
  return parent.add(spec);
}

export async function runContainerInspect(cli: Cli, o: ContainerInspectOptions, names: string[]): Promise<void> {
  const engine = await cli.engine();
  await printInspected(cli, names, o.format, (n) => inspectObject(engine, 'container', n, o.size));
}
