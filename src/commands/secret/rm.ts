import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { removeFileObjects } from '../secret/common.js';

export type SecretRmOptions = Record<string, never>;

export const spec = dockerSpec<SecretRmOptions>('secret rm', { aliases: ['remove'], args: minArgs(1), run: (cli: Cli, _o: SecretRmOptions, names: string[]) => removeFileObjects(cli, 'secret', names) });
