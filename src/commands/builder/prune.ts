import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { parseFilters } from '../../cli/filters.js';
import { ramInBytes } from '../../cli/opts.js';
import { confirm } from '../../stream/prompt.js';
import { humanSize } from '../../go/units.js';

export interface BuilderPruneOptions {
  all: boolean;
  filter: string[];
  force: boolean;
  keepStorage: number;
}

export const spec = dockerSpec<BuilderPruneOptions>('builder prune', {
  args: noArgs,
  flags: { 'keep-storage': { parse: ramInBytes } },
  run: runBuilderPrune,
});

/** docker's builder prune: POST /build/prune (all, keep-storage, filters), the deleted records' IDs and the space reclaimed */
export async function runBuilderPrune(cli: Cli, o: BuilderPruneOptions): Promise<void> {
  const warning = o.all ? 'WARNING! This will remove all build cache. Are you sure you want to continue?' : 'WARNING! This will remove all dangling build cache. Are you sure you want to continue?';
  // a "no" ends the command quietly, with status 0 (docker's cancelledErr)
  if (!o.force && !(await confirm(cli, warning))) return;
  const engine = await cli.engine();
  const r = await engine.json<{ CachesDeleted: string[] | null; SpaceReclaimed: number }>({
    method: 'POST',
    path: '/build/prune',
    query: { all: o.all ? '1' : undefined, 'keep-storage': o.keepStorage ? String(Math.trunc(o.keepStorage)) : undefined, filters: JSON.stringify(parseFilters(o.filter)) },
  });
  const deleted = r.CachesDeleted ?? [];
  let out = '';
  if (deleted.length) out += 'Deleted build cache objects:\n' + deleted.map((id) => id + '\n').join('') + '\n';
  cli.print(out + `Total reclaimed space: ${humanSize(r.SpaceReclaimed ?? 0)}\n`);
}
