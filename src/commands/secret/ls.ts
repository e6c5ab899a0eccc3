import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { listFileObjects } from '../secret/common.js';

export interface SecretLsOptions {
  filter: string[];
  format: string;
  quiet: boolean;
}

export const spec = dockerSpec<SecretLsOptions>('secret ls', { aliases: ['list'], args: noArgs, run: (cli: Cli, o: SecretLsOptions) => listFileObjects(cli, 'secret', o) });
