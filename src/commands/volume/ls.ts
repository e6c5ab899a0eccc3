import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { filtersQuery } from '../../cli/filters.js';
import { naturalLess, volumeContext, VOLUME_FORMAT, type ApiVolume } from '../../format/contexts/volnet.js';
import { listFormat, printList } from '../print-list.js';

export interface VolumeLsOptions {
  cluster: boolean;
  filter: string[];
  format: string;
  quiet: boolean;
}

export const spec = dockerSpec<VolumeLsOptions>('volume ls', { aliases: ['list'], args: noArgs, run: runVolumeLs });

export async function runVolumeLs(cli: Cli, o: VolumeLsOptions): Promise<void> {
  const engine = await cli.engine();
  const r = await engine.json<{ Volumes: ApiVolume[] | null; Warnings?: string[] | null }>({
    path: '/volumes',
    query: { filters: filtersQuery(o.filter) },
  });
  const vols = (r.Volumes ?? []).sort((a, b) => naturalLess(a.Name, b.Name));
  printList(cli, listFormat(o.format, cli.config.file.volumesFormat, o.quiet, '{{.Name}}'), vols.map(volumeContext), VOLUME_FORMAT);
}
