import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { inspectObject } from '../../engine/inspect.js';
import { printInspected } from '../print-inspected.js';

export interface ImageInspectOptions {
  format: string;
  platform: string;
}

export const spec = dockerSpec<ImageInspectOptions>('image inspect', { args: minArgs(1), run: runImageInspect });

export async function runImageInspect(cli: Cli, o: ImageInspectOptions, names: string[]): Promise<void> {
  const engine = await cli.engine();
  await printInspected(cli, names, o.format, (n) => inspectObject(engine, 'image', n));
}
