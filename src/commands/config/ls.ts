import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { listFileObjects } from '../secret/common.js';

export interface ConfigLsOptions {
  filter: string[];
  format: string;
  quiet: boolean;
}

export const spec = dockerSpec<ConfigLsOptions>('config ls', { aliases: ['list'], args: noArgs, run: (cli: Cli, o: ConfigLsOptions) => listFileObjects(cli, 'config', o) });
