import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { inspectObject } from '../../engine/inspect.js';
import { printInspected } from '../print-inspected.js';

export interface ContainerInspectOptions {
  format: string;
  size: boolean;
}

export const spec = dockerSpec<ContainerInspectOptions>('container inspect', { args: minArgs(1), run: runContainerInspect });

export async function runContainerInspect(cli: Cli, o: ContainerInspectOptions, names: string[]): Promise<void> {
  const engine = await cli.engine();
  await printInspected(cli, names, o.format, (n) => inspectObject(engine, 'container', n, o.size));
}
