import type { Cli } from '../../cli/cli.js';
import { rangeArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { createFileObject } from './common.js';

export interface SecretCreateOptions {
  driver: string;
  label: string[];
  templateDriver: string;
}

export const spec = dockerSpec<SecretCreateOptions>('secret create', { args: rangeArgs(1, 2), run: (cli: Cli, o: SecretCreateOptions, [name, file]: string[]) => createFileObject(cli, 'secret', o, name, file) });
