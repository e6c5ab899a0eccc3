import type { Cli } from '../../cli/cli.js';
import { maxArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { parseFilters } from '../../cli/filters.js';
import { imageRows, IMAGE_DIGEST_TABLE, IMAGE_FORMAT, type ApiImage } from '../../format/contexts/image.js';
import { listFormat, printList } from '../print-list.js';

export interface ImagesOptions {
  all: boolean;
  digests: boolean;
  filter: string[];
  format: string;
  noTrunc: boolean;
  quiet: boolean;
  tree: boolean;
}

export const spec = dockerSpec<ImagesOptions>('image ls', { aliases: ['list'], args: maxArgs(1), run: runImages });

export async function runImages(cli: Cli, o: ImagesOptions, [repo]: string[]): Promise<void> {
  const filters = parseFilters(o.filter);
  if (repo) (filters.reference ??= {})[repo] = true;
  const engine = await cli.engine();
  const images = await engine.json<ApiImage[]>({
    path: '/images/json',
    query: { all: o.all ? '1' : undefined, filters: Object.keys(filters).length ? JSON.stringify(filters) : undefined },
  });
  const format = listFormat(o.format, cli.config.file.imagesFormat, o.quiet, '{{.ID}}');
  const rows = imageRows(images, { trunc: !o.noTrunc, digests: o.digests, tz: cli.env.TZ });
  printList(cli, format, rows, { ...IMAGE_FORMAT, defaultTable: o.digests ? IMAGE_DIGEST_TABLE : IMAGE_FORMAT.defaultTable });
}
