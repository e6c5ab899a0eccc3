import type { FlagSpec } from './flags.js';

/** Shared flag definitions with docker's exact help texts. */

const FORMAT_TAIL =
  "'json':             Print in JSON format\n" +
  "'TEMPLATE':         Print output using the given Go template.\n" +
  'Refer to https://docs.docker.com/go/formatting/ for more information about formatting output with templates';

/** --format for inspect-like commands (json or a template). */
export function formatFlag(short: string | undefined = 'f'): FlagSpec {
  return {
    name: 'format', short, kind: 'string', typeName: 'string',
    usage: 'Format output using a custom template:\n' + FORMAT_TAIL,
  };
}

/** --format for list commands (table, table TEMPLATE, json, TEMPLATE). */
export function tableFormatFlag(): FlagSpec {
  return {
    name: 'format', kind: 'string', typeName: 'string',
    usage:
      'Format output using a custom template:\n' +
      "'table':            Print output in table format with column headers (default)\n" +
      "'table TEMPLATE':   Print output in table format using the given Go template\n" +
      FORMAT_TAIL,
  };
}

/** -f/--filter, repeatable, "key=value". */
export function filterFlag(usage = 'Filter output based on conditions provided'): FlagSpec {
  return { name: 'filter', short: 'f', kind: 'list', typeName: 'filter', usage };
}
