import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { parseFilters } from '../../cli/filters.js';
import { confirm } from '../../stream/prompt.js';
import { humanSize } from '../../go/units.js';

export interface ImagePruneOptions {
  all: boolean;
  filter: string[];
  force: boolean;
}

export const spec = dockerSpec<ImagePruneOptions>('image prune', { args: noArgs, run: runImagePrune });

export async function runImagePrune(cli: Cli, o: ImagePruneOptions): Promise<void> {
  const warning = o.all ? 'WARNING! This will remove all images without at least one container associated to them.' : 'WARNING! This will remove all dangling images.';
  if (!o.force && !(await confirm(cli, `${warning}\nAre you sure you want to continue?`))) return;
  const filters = parseFilters(o.filter);
  filters.dangling = { [o.all ? 'false' : 'true']: true };
  const engine = await cli.engine();
  const r = await engine.json<{ ImagesDeleted: { Untagged?: string; Deleted?: string }[] | null; SpaceReclaimed: number }>({
    method: 'POST',
    path: '/images/prune',
    query: { filters: JSON.stringify(filters) },
  });
  let out = '';
  const deleted = r.ImagesDeleted ?? [];
  if (deleted.length) {
    out += 'Deleted Images:\n';
    for (const d of deleted) {
      if (d.Untagged) out += `untagged: ${d.Untagged}\n`;
      if (d.Deleted) out += `deleted: ${d.Deleted}\n`;
    }
    out += '\n';
  }
  cli.print(out + `Total reclaimed space: ${humanSize(r.SpaceReclaimed)}\n`);
}
