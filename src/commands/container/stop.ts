import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { stopAction, type StopOptions } from './action.js';

export type { StopOptions };

export const spec = dockerSpec<StopOptions>('container stop', { args: minArgs(1), run: stopAction('stop') });
