import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { parseFilters } from '../../cli/filters.js';
import { runPs, type PsOptions } from './list-containers.js';

export type { PsOptions };

export const spec = dockerSpec<PsOptions>('container ls', {
  aliases: ['list', 'ps'],
  args: noArgs,
  flags: { filter: { parse: (v) => parseFilters.check(v) } },
  run: runPs,
});
