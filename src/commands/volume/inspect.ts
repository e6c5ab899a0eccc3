import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { inspectObject } from '../../engine/inspect.js';
import { printInspected } from '../print-inspected.js';

export interface VolumeInspectOptions {
  format: string;
}

export const spec = dockerSpec<VolumeInspectOptions>('volume inspect', { args: minArgs(1), run: runVolumeInspect });

export async function runVolumeInspect(cli: Cli, o: VolumeInspectOptions, names: string[]): Promise<void> {
  const engine = await cli.engine();
  await printInspected(cli, names, o.format, (n) => inspectObject(engine, 'volume', n));
}
