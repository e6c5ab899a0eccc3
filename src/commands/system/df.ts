import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { BUILD_CACHE_FORMAT, DF_CONTAINER_TABLE, DF_FORMAT, DF_IMAGE_TABLE, DF_RAW_FORMAT, DF_VOLUME_TABLE, buildCacheContext, dfRows, sortBuildCache, type ApiBuildCache, type ApiDiskUsage } from '../../format/df.js';
import { imageRows, IMAGE_FORMAT, type ApiImage } from '../../format/contexts/image.js';
import { containerContext, CONTAINER_FORMAT, type ApiContainer } from '../../format/contexts/container.js';
import { volumeContext, VOLUME_FORMAT, type ApiVolume } from '../../format/contexts/volnet.js';
import { GoSlice, GoStruct } from '../../format/template/values.js';
import { printList } from '../print-list.js';
import { StatusError } from '../../cli/errors.js';
import { parseTemplate, TemplateError } from '../../format/template/index.js';
import { humanSize } from '../../go/units.js';

export interface DfOptions {
  format: string;
  verbose: boolean;
}

export const spec = dockerSpec<DfOptions>('system df', { args: noArgs, run: runDf });

interface FullDiskUsage extends ApiDiskUsage {
  Images?: ApiImage[] | null;
  Containers?: ApiContainer[] | null;
  Volumes?: ApiVolume[] | null;
  BuildCache?: ApiBuildCache[] | null;
}

export async function runDf(cli: Cli, o: DfOptions): Promise<void> {
  const engine = await cli.engine();
  const du = await engine.json<FullDiskUsage>({ path: '/system/df' });
  if (!o.verbose) {
    printList(cli, o.format === 'raw' ? DF_RAW_FORMAT : o.format, dfRows(du), DF_FORMAT);
    return;
  }
  const table = o.format === '' || o.format === 'table' || o.format.startsWith('table');
  // only the first tag of each image is shown
  const dangling = (i: ApiImage): boolean => {
    const t = i.RepoTags ?? [];
    const d = i.RepoDigests ?? [];
    return (t.length === 0 && d.length === 0) || (t.length === 1 && t[0] === '<none>:<none>' && d.length === 1 && d[0] === '<none>@<none>');
  };
  const images = (du.Images ?? []).map((i) => (dangling(i) || !(i.RepoTags ?? []).length ? { ...i, RepoTags: [], RepoDigests: [] } : { ...i, RepoTags: (i.RepoTags ?? []).slice(0, 1), RepoDigests: [] }));
  const imgs = images.flatMap((i) => imageRows([i], { trunc: table, digests: false, tz: cli.env.TZ }).slice(0, 1));
  const ctrs = (du.Containers ?? []).map((c) => containerContext({ ...c, SizeRootFs: 0 }, { trunc: table, tz: cli.env.TZ }));
  const vols = (du.Volumes ?? []).map(volumeContext);
  const cache = sortBuildCache(du.BuildCache ?? []).map((b) => buildCacheContext(b, table));
  if (o.format === '' || o.format === 'table') {
    cli.print('Images space usage:\n\n');
    printList(cli, DF_IMAGE_TABLE, imgs, IMAGE_FORMAT);
    cli.print('\nContainers space usage:\n\n');
    printList(cli, DF_CONTAINER_TABLE, ctrs, CONTAINER_FORMAT);
    cli.print('\nLocal Volumes space usage:\n\n');
    printList(cli, DF_VOLUME_TABLE, vols, VOLUME_FORMAT);
    const total = (du.BuildCache ?? []).reduce((s, b) => s + (b.Shared ? 0 : b.Size), 0);
    cli.print(`\nBuild cache usage: ${humanSize(total, 4)}\n\n`);
    printList(cli, 'table', cache, BUILD_CACHE_FORMAT);
    return;
  }
  const duc = new GoStruct('*formatter.diskUsageContext', [
    ['Images', new GoSlice(imgs, '[]*formatter.imageContext')],
    ['Containers', new GoSlice(ctrs, '[]*formatter.ContainerContext')],
    ['Volumes', new GoSlice(vols, '[]*formatter.volumeContext')],
    ['BuildCache', new GoSlice(cache, '[]*formatter.buildCacheContext')],
  ]);
  let text = o.format.startsWith('table') ? o.format.slice('table'.length) : o.format === 'json' ? '{{json .}}' : o.format;
  text = text.replace(/^ +| +$/g, '').replaceAll('\\t', '\t').replaceAll('\\n', '\n');
  let tmpl;
  try {
    tmpl = parseTemplate(text);
  } catch (e) {
    if (e instanceof TemplateError) throw new StatusError(`template parsing error: ${e.message}`, 1);
    throw e;
  }
  try {
    cli.print(tmpl.execute(duc));
  } catch (e) {
    if (e instanceof TemplateError) throw new StatusError(e.message, 1);
    throw e;
  }
}
