import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { filtersQuery } from '../../cli/filters.js';
import { searchContext, SEARCH_FORMAT, type ApiSearchResult } from '../../format/contexts/search.js';
import { printList } from '../print-list.js';

export interface SearchOptions {
  filter: string[];
  format: string;
  limit: number;
  noTrunc: boolean;
}

export const spec = dockerSpec<SearchOptions>('search', { args: exactArgs(1), run: runSearch });

export async function runSearch(cli: Cli, o: SearchOptions, [term]: string[]): Promise<void> {
  const engine = await cli.engine();
  const results = await engine.json<ApiSearchResult[]>({
    path: '/images/search',
    query: { term, limit: o.limit ? String(o.limit) : undefined, filters: filtersQuery(o.filter) },
  });
  printList(cli, o.format || 'table', results.map((r) => searchContext(r, !o.noTrunc)), SEARCH_FORMAT);
}
