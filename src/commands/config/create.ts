import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { createFileObject } from '../secret/common.js';

export interface ConfigCreateOptions {
  label: string[];
  templateDriver: string;
}

export const spec = dockerSpec<ConfigCreateOptions>('config create', { args: exactArgs(2), run: (cli: Cli, o: ConfigCreateOptions, [name, file]: string[]) => createFileObject(cli, 'config', o, name, file) });
