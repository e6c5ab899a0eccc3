import type { Cli } from '../cli/cli.js';
import { StatusError } from '../cli/errors.js';
import { renderList, FormatExecError, FormatParseError, type ListFormat } from '../format/list.js';
import type { GoValue } from '../format/template/values.js';

/** Print a list through docker's formatter; template errors are reported as docker's formatter does. */
export function printList(cli: Cli, format: string, rows: GoValue[], spec: ListFormat): void {
  try {
    cli.print(renderList(format, rows, spec));
  } catch (e) {
    if (e instanceof FormatParseError || e instanceof FormatExecError) throw new StatusError(`template parsing error: ${e.message}`, 1);
    throw e;
  }
}

/** The format a list command uses: --format, else the config file's, else the table (or -q's). */
export function listFormat(flag: string, configured: string | undefined, quiet: boolean, quietFormat: string): string {
  let f = flag || (!quiet && configured) || 'table';
  if (quiet && (f === 'table' || !flag)) f = quietFormat;
  return f;
}
