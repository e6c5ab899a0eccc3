import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { parseFilters } from '../../cli/filters.js';
import { confirm } from '../../stream/prompt.js';
import { kindReport, systemPruneWarning } from '../../format/sysprune.js';
import { humanSize } from '../../go/units.js';

export interface SystemPruneOptions {
  all: boolean;
  filter: string[];
  force: boolean;
  volumes: boolean;
}

export const spec = dockerSpec<SystemPruneOptions>('system prune', { args: noArgs, run: runSystemPrune });

export async function runSystemPrune(cli: Cli, o: SystemPruneOptions): Promise<void> {
  const filters = parseFilters(o.filter);
  if (o.volumes && filters.until) throw new StatusError('ERROR: The "until" filter is not supported with "--volumes"', 1);
  if (!o.force && !(await confirm(cli, systemPruneWarning(o.all, o.volumes, filters)))) return;
  const engine = await cli.engine();
  const enc = (f: Record<string, Record<string, boolean>>): string | undefined => (Object.keys(f).length ? JSON.stringify(f) : undefined);
  let space = 0;

  const c = await engine.json<{ ContainersDeleted: string[] | null; SpaceReclaimed: number }>({ method: 'POST', path: '/containers/prune', query: { filters: enc(filters) } });
  space += c.SpaceReclaimed ?? 0;
  cli.print(kindReport('Deleted Containers:', c.ContainersDeleted ?? []));

  const n = await engine.json<{ NetworksDeleted: string[] | null }>({ method: 'POST', path: '/networks/prune', query: { filters: enc(filters) } });
  cli.print(kindReport('Deleted Networks:', n.NetworksDeleted ?? []));

  if (o.volumes) {
    const v = await engine.json<{ VolumesDeleted: string[] | null; SpaceReclaimed: number }>({ method: 'POST', path: '/volumes/prune', query: { filters: enc(filters) } });
    space += v.SpaceReclaimed ?? 0;
    cli.print(kindReport('Deleted Volumes:', v.VolumesDeleted ?? []));
  }

  const imageFilters = { ...filters, dangling: { [o.all ? 'false' : 'true']: true } };
  const i = await engine.json<{ ImagesDeleted: { Untagged?: string; Deleted?: string }[] | null; SpaceReclaimed: number }>({ method: 'POST', path: '/images/prune', query: { filters: enc(imageFilters) } });
  space += i.SpaceReclaimed ?? 0;
  const lines: string[] = [];
  for (const d of i.ImagesDeleted ?? []) {
    if (d.Untagged) lines.push(`untagged: ${d.Untagged}`);
    if (d.Deleted) lines.push(`deleted: ${d.Deleted}`);
  }
  cli.print(kindReport('Deleted Images:', lines));

  const b = await engine.json<{ CachesDeleted: string[] | null; SpaceReclaimed: number }>({ method: 'POST', path: '/build/prune', query: { all: o.all ? '1' : undefined, filters: enc(filters) } });
  space += b.SpaceReclaimed ?? 0;
  cli.print(kindReport('Deleted build cache objects:', b.CachesDeleted ?? []));

  cli.print(`Total reclaimed space: ${humanSize(space, 4)}\n`);
}
