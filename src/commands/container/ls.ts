import type { Cli } from '../../cli/cli.js';
import { noArgs, type CommandNode } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { parseFilters } from '../../cli/filters.js';
import { containerContext, CONTAINER_FORMAT, CONTAINER_QUIET_FORMAT, type ApiContainer } from '../../format/contexts/container.js';
import { renderList, FormatExecError, FormatParseError } from '../../format/list.js';

export interface PsOptions {
  all: boolean;
  filter: string[];
  format: string;
  last: number;
  latest: boolean;
  noTrunc: boolean;
  quiet: boolean;
  size: boolean;
}

export const spec = dockerSpec<PsOptions>('container ls', {
  aliases: ['list', 'ps'],
  args: noArgs,
  flags: { filter: { parse: (v) => parseFilters.check(v) } },
  run: runPs,
});

export function register(parent: CommandNode): CommandNode {
  return parent.add(spec);
}

export async function runPs(cli: Cli, o: PsOptions): Promise<void> {
  let format = o.format;
  if (!format) format = cli.config.file.psFormat && !o.quiet ? cli.config.file.psFormat : 'table';
  if (o.quiet && (format === 'table' || format === '')) format = CONTAINER_QUIET_FORMAT;
  let size = o.size;
  // docker asks the engine for sizes only when the format shows them
  if (!size && /\.Size\b/.test(format)) size = true;
  const last = o.latest ? 1 : o.last;
  const engine = await cli.engine();
  const query: Record<string, unknown> = {
    all: o.all || last > 0 ? '1' : undefined,
    limit: last > 0 ? String(last) : undefined,
    size: size ? '1' : undefined,
    filters: o.filter.length ? JSON.stringify(parseFilters(o.filter)) : undefined,
  };
  const list = await engine.json<ApiContainer[]>({ path: '/containers/json', query });
  const now = Date.now();
  const rows = list.map((c) => containerContext(c, { trunc: !o.noTrunc, now }));
  try {
    cli.print(renderList(format, rows, { ...CONTAINER_FORMAT, defaultTable: CONTAINER_FORMAT.defaultTable + (o.size ? '\t{{.Size}}' : '') }));
  } catch (e) {
    if (e instanceof FormatParseError) throw new StatusError(`failed to parse template: ${e.message}`, 1);
    if (e instanceof FormatExecError) throw new StatusError(`failed to execute template: ${e.message}`, 1);
    throw e;
  }
}
