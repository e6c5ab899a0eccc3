import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { parseFilters } from '../../cli/filters.js';
import { StatusError } from '../../cli/errors.js';
import { confirm } from '../../stream/prompt.js';
import { pruneReport } from '../../format/prune.js';

export interface VolumePruneOptions {
  all: boolean;
  filter: string[];
  force: boolean;
}

export const spec = dockerSpec<VolumePruneOptions>('volume prune', { args: noArgs, run: runVolumePrune });

// -a/--all exists for API 1.42+ only: docker hides it from this engine's help but still parses it
(spec.flags ??= []).push({ name: 'all', short: 'a', kind: 'bool', typeName: '', usage: 'Remove all unused volumes, not just anonymous ones', default: false, hidden: true });

export async function runVolumePrune(cli: Cli, o: VolumePruneOptions): Promise<void> {
  if (o.all) {
    const engine = await cli.engine();
    if (engine.apiVersion < '1.42') throw new StatusError(`"--all" requires API version 1.42, but the Docker daemon API version is ${engine.apiVersion}`, 1);
  }
  const warning = o.all ? 'WARNING! This will remove all local volumes not used by at least one container.' : 'WARNING! This will remove anonymous local volumes not used by at least one container.';
  if (!o.force && !(await confirm(cli, `${warning}\nAre you sure you want to continue?`))) return;
  const filters = parseFilters(o.filter);
  const engine = await cli.engine();
  if (o.all && engine.apiVersion >= '1.42') filters.all = { true: true };
  const r = await engine.json<{ VolumesDeleted: string[] | null; SpaceReclaimed: number }>({
    method: 'POST',
    path: '/volumes/prune',
    query: { filters: Object.keys(filters).length ? JSON.stringify(filters) : undefined },
  });
  cli.print(pruneReport('Deleted Volumes:', r.VolumesDeleted ?? [], r.SpaceReclaimed));
}
