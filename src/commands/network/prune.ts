import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { filtersQuery } from '../../cli/filters.js';
import { confirm } from '../../stream/prompt.js';

export interface NetworkPruneOptions {
  filter: string[];
  force: boolean;
}

export const spec = dockerSpec<NetworkPruneOptions>('network prune', { args: noArgs, run: runNetworkPrune });

export async function runNetworkPrune(cli: Cli, o: NetworkPruneOptions): Promise<void> {
  if (!o.force && !(await confirm(cli, 'WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue?'))) return;
  const engine = await cli.engine();
  const r = await engine.json<{ NetworksDeleted: string[] | null }>({
    method: 'POST',
    path: '/networks/prune',
    query: { filters: filtersQuery(o.filter) },
  });
  const d = r.NetworksDeleted ?? [];
  if (d.length) cli.print(`Deleted Networks:\n${d.join('\n')}\n\n`);
}
