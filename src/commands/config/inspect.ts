import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { inspectFileObjects } from '../secret/common.js';

export interface ConfigInspectOptions {
  format: string;
  pretty: boolean;
}

export const spec = dockerSpec<ConfigInspectOptions>('config inspect', { args: minArgs(1), run: (cli: Cli, o: ConfigInspectOptions, names: string[]) => inspectFileObjects(cli, 'config', o, names) });
