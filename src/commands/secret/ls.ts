import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { parseFilters } from '../../cli/filters.js';
import { listFileObjects } from '../secret/common.js';

export interface SecretLsOptions {
  filter: string[];
  format: string;
  quiet: boolean;
}

export const spec = dockerSpec<SecretLsOptions>('secret ls', { aliases: ['list'], args: noArgs, flags: { filter: { parse: (v) => parseFilters.check(v) } }, run: (cli: Cli, o: SecretLsOptions) => listFileObjects(cli, 'secret', o) });
