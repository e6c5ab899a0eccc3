import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { inspectObject } from '../../engine/inspect.js';
import { printInspected } from '../print-inspected.js';

export interface NetworkInspectOptions {
  format: string;
  verbose: boolean;
}

export const spec = dockerSpec<NetworkInspectOptions>('network inspect', { args: minArgs(1), run: runNetworkInspect });

export async function runNetworkInspect(cli: Cli, o: NetworkInspectOptions, names: string[]): Promise<void> {
  const engine = await cli.engine();
  await printInspected(cli, names, o.format, (n) => inspectObject(engine, 'network', n, false, o.verbose ? { verbose: 'true' } : undefined));
}
