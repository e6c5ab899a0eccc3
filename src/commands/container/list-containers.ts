/**
 * `container ls` / `ps`: the listing itself, apart from its command spec (src/commands/container/ls.ts)
 * so that the start-up fast path (src/fast.ts) runs this same code without loading the command tree.
 */
import type { Cli } from '../../cli/cli.js';
import type { Invocation } from '../../cli/command.js';
import { StatusError } from '../../cli/errors.js';
import { filtersQuery } from '../../cli/filters.js';
import { checkContainerFormat, containerContext, CONTAINER_FORMAT, containerFormat, type ApiContainer } from '../../format/contexts/container.js';
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
  // docker's runPs: no --format takes the config's psFormat (then -q says nothing of it)
  let format = o.format;
  if (!format) format = cli.config.file.psFormat ?? '';
  else if (o.quiet) cli.warn('WARNING: Ignoring custom format, because both --format and --quiet are set.\n');
  let size = o.size;
  if (format) {
    // buildContainerListOptions: the format is parsed and run once on an empty context before any
    // request (its errors end the command there); when that run used .Size (`json .` marshals every
    // field), sizes are asked for, unless -q, -s or an explicit --size=false
    const used = checkFormat(format);
    if (!o.quiet && !size && !inv?.changed.has('size') && used.usesSize) size = true;
  }
  // -l is -n 1 unless -n was given
  const last = o.latest && o.last === -1 ? 1 : o.last;
  const engine = await cli.engine();
  const query: Record<string, unknown> = {
    // -n/-l set a limit only: the engine lists all states for it, docker sends no all=1
    all: o.all ? '1' : undefined,
    limit: last > 0 ? String(last) : undefined,
    size: size ? '1' : undefined,
    filters: filtersQuery(o.filter),
  };
  const list = await engine.json<ApiContainer[]>({ path: '/containers/json', query });
  const now = Date.now();
  const rows = list.map((c) => containerContext(c, { trunc: !o.noTrunc, now, tz: cli.env.TZ }));
  // NewContainerFormat with the list options' size: "table" or "" (with sizes a SIZE column), "raw", or
  // custom; -q wins over all three
  templateErrors(() => cli.print(renderList(containerFormat(format, o.quiet, size), rows, CONTAINER_FORMAT)));
}

function checkFormat(format: string): { usesSize: boolean } {
  let used = { usesSize: false };
  templateErrors(() => (used = checkContainerFormat(format)));
  return used;
}

/** a template's parse and execution errors as docker wraps them (status 1) */
function templateErrors(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (e instanceof FormatParseError) throw new StatusError(`failed to parse template: ${e.message}`, 1);
    if (e instanceof FormatExecError) throw new StatusError(`failed to execute template: ${e.message}`, 1);
    throw e;
  }
}
