import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { stopAction, type StopOptions } from './action.js';

export type RestartOptions = StopOptions;

export const spec = dockerSpec<RestartOptions>('container restart', { args: minArgs(1), run: stopAction('restart') });
