import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { forEachTarget } from '../../engine/targets.js';

export interface VolumeRmOptions {
  force: boolean;
}

export const spec = dockerSpec<VolumeRmOptions>('volume rm', { aliases: ['remove'], args: minArgs(1), run: runVolumeRm });

export async function runVolumeRm(cli: Cli, o: VolumeRmOptions, names: string[]): Promise<void> {
  const engine = await cli.engine();
  await forEachTarget(cli, names, async (n) => {
    await engine.json({ method: 'DELETE', path: `/volumes/${encodeURIComponent(n)}`, query: { force: o.force ? '1' : undefined } });
  }, { echo: true });
}
