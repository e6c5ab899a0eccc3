import type { Cli } from '../../cli/cli.js';
import { noArgs, type CommandNode, type CommandSpec } from '../../cli/command.js';
import { formatFlag } from '../../cli/flagdefs.js';
import { renderInfo } from '../../format/info.js';

export interface InfoOptions {
  format: string;
}

export const spec: CommandSpec<InfoOptions> = {
  name: 'info',
  usage: '[OPTIONS]',
  short: 'Display system-wide information',
  args: noArgs,
  flags: [formatFlag()],
  run: runInfo,
};

export function register(parent: CommandNode): CommandNode {
  return parent.add(spec);
}

export async function runInfo(cli: Cli, opts: InfoOptions): Promise<void> {
  const engine = await cli.engine();
  const info = await engine.json<Record<string, unknown>>({ path: '/info' });
  cli.print(renderInfo(info, { context: cli.endpoint.context, debug: cli.debug }, opts.format));
}
