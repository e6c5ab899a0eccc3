import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { removeFileObjects } from '../secret/common.js';

export type ConfigRmOptions = Record<string, never>;

export const spec = dockerSpec<ConfigRmOptions>('config rm', { aliases: ['remove'], args: minArgs(1), run: (cli: Cli, _o: ConfigRmOptions, names: string[]) => removeFileObjects(cli, 'config', names) });
