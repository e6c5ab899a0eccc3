/**
 * `image ls` / `images`: the listing itself, apart from its command spec (src/commands/image/ls.ts), so
 * that the start-up fast path (src/fast.ts) runs this same code without loading the command tree.
 */
import type { Cli } from '../../cli/cli.js';
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
