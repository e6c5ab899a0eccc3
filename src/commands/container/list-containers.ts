/**
 * `container ls` / `ps`: the listing itself, apart from its command spec (src/commands/container/ls.ts)
 * so that the start-up fast path (src/fast.ts) runs this same code without loading the command tree.
 */
import type { Cli } from '../../cli/cli.js';
import type { Invocation } from '../../cli/command.js';
import { StatusError } from '../../cli/errors.js';
import { parseFilters } from '../../cli/filters.js';
import { containerContext, CONTAINER_FORMAT, containerFormat, type ApiContainer } from '../../format/contexts/container.js';
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

export async function runPs(cli: Cli, o: PsOptions, _args: string[] = [], inv?: Invocation): Promise<void> {
  if (o.quiet && o.format) cli.warn('WARNING: Ignoring custom format, because both --format and --quiet are set.\n');
  let format = o.format;
  if (!format) format = cli.config.file.psFormat && !o.quiet ? cli.config.file.psFormat : 'table';
  let size = o.size;
  // docker asks the engine for sizes when the --format template uses .Size (unless -q, or --size given,
  // even =false): it runs the template once on a recording context, and `json .` marshals every field
  if (!size && !o.quiet && !inv?.changed.has('size') && o.format && /\.Size\b|\bjson\s+\.\s*(\}\}|\))/.test(o.format)) size = true;
  // -l is -n 1 unless -n was given
  const last = o.latest && o.last === -1 ? 1 : o.last;
  const engine = await cli.engine();
  const query: Record<string, unknown> = {
    // -n/-l set a limit only: the engine lists all states for it, docker sends no all=1
    all: o.all ? '1' : undefined,
    limit: last > 0 ? String(last) : undefined,
    size: size ? '1' : undefined,
    filters: o.filter.length ? JSON.stringify(parseFilters(o.filter)) : undefined,
  };
  const list = await engine.json<ApiContainer[]>({ path: '/containers/json', query });
  const now = Date.now();
  const rows = list.map((c) => containerContext(c, { trunc: !o.noTrunc, now, tz: cli.env.TZ }));
  try {
    // NewContainerFormat: "table" (with -s a SIZE column), "raw", or custom; -q wins over all three
    cli.print(renderList(containerFormat(format, o.quiet, o.size), rows, CONTAINER_FORMAT));
  } catch (e) {
    if (e instanceof FormatParseError) throw new StatusError(`failed to parse template: ${e.message}`, 1);
    if (e instanceof FormatExecError) throw new StatusError(`failed to execute template: ${e.message}`, 1);
    throw e;
  }
}
