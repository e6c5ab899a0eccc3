import type { Cli } from '../../cli/cli.js';
import { noArgs, type CommandNode } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { DF_FORMAT, DF_RAW_FORMAT, dfRows, type ApiDiskUsage } from '../../format/df.js';
import { printList } from '../listing.js';

export interface DfOptions {
  format: string;
  verbose: boolean;
}

export const spec = dockerSpec<DfOptions>('system df', { args: noArgs, run: runDf });

export function register(parent: CommandNode): CommandNode {
  return parent.add(spec);
}

export async function runDf(cli: Cli, o: DfOptions): Promise<void> {
  const engine = await cli.engine();
  const du = await engine.json<ApiDiskUsage>({ path: '/system/df' });
  const format = o.format === 'raw' ? DF_RAW_FORMAT : o.format;
  printList(cli, format, dfRows(du), DF_FORMAT);
}
