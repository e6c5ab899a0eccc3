import { maxArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { runImages, type ImagesOptions } from './list-images.js';

export type { ImagesOptions };

export const spec = dockerSpec<ImagesOptions>('image ls', { aliases: ['list'], args: maxArgs(1), run: runImages });
