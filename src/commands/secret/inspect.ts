import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { inspectFileObjects } from '../secret/common.js';

export interface SecretInspectOptions {
  format: string;
  pretty: boolean;
}

export const spec = dockerSpec<SecretInspectOptions>('secret inspect', { args: minArgs(1), run: (cli: Cli, o: SecretInspectOptions, names: string[]) => inspectFileObjects(cli, 'secret', o, names) });
