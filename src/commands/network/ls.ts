import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { filtersQuery } from '../../cli/filters.js';
import { naturalLess, networkContext, NETWORK_FORMAT, type ApiNetwork } from '../../format/contexts/volnet.js';
import { listFormat, printList } from '../print-list.js';

export interface NetworkLsOptions {
  filter: string[];
  format: string;
  noTrunc: boolean;
  quiet: boolean;
}

export const spec = dockerSpec<NetworkLsOptions>('network ls', { aliases: ['list'], args: noArgs, run: runNetworkLs });

export async function runNetworkLs(cli: Cli, o: NetworkLsOptions): Promise<void> {
  const engine = await cli.engine();
  const nets = await engine.json<ApiNetwork[]>({ path: '/networks', query: { filters: filtersQuery(o.filter) } });
  nets.sort((a, b) => naturalLess(a.Name, b.Name));
  printList(cli, listFormat(o.format, cli.config.file.networksFormat, o.quiet, '{{.ID}}'), nets.map((n) => networkContext(n, !o.noTrunc)), NETWORK_FORMAT);
}
