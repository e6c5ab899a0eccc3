import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { filtersQuery } from '../../cli/filters.js';
import { confirm } from '../../stream/prompt.js';
import { pruneReport } from '../../format/prune.js';

export interface ContainerPruneOptions {
  filter: string[];
  force: boolean;
}

export const spec = dockerSpec<ContainerPruneOptions>('container prune', { args: noArgs, run: runContainerPrune });

export async function runContainerPrune(cli: Cli, o: ContainerPruneOptions): Promise<void> {
  if (!o.force && !(await confirm(cli, 'WARNING! This will remove all stopped containers.\nAre you sure you want to continue?'))) return;
  const engine = await cli.engine();
  const r = await engine.json<{ ContainersDeleted: string[] | null; SpaceReclaimed: number }>({
    method: 'POST',
    path: '/containers/prune',
    query: { filters: filtersQuery(o.filter) },
  });
  cli.print(pruneReport('Deleted Containers:', r.ContainersDeleted ?? [], r.SpaceReclaimed));
}
