import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { runPs, type PsOptions } from './list-containers.js';

export type { PsOptions };

export const spec = dockerSpec<PsOptions>('container ls', {
  aliases: ['list', 'ps'],
  args: noArgs,
  run: runPs,
});
