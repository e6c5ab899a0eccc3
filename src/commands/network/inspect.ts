import type { Cli } from '../../cli/cli.js';
import { minArgs, type CommandNode } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { inspectObject } from '../../engine/inspect.js';
import { printInspected } from '../inspect-common.js';

export interface NetworkInspectOptions {
  format: string;
  verbose: boolean;
}

export const spec = dockerSpec<NetworkInspectOptions>('network inspect', { args: minArgs(1), run: runNetworkInspect });

export function register(parent: CommandNode): CommandNode {
  return parent.add(spec);
}

export async function runNetworkInspect(cli: Cli, o: NetworkInspectOptions, names: string[]): Promise<void> {
  const engine = await cli.engine();
  await printInspected(cli, names, o.format, (n) => inspectObject(engine, 'network', n, false, o.verbose ? { verbose: 'true' } : undefined));
}
