import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { forEachTarget } from '../../engine/targets.js';

export type ServiceRmOptions = Record<string, never>;

export const spec = dockerSpec<ServiceRmOptions>('service rm', { aliases: ['remove'], args: minArgs(1), run: runServiceRm });

export async function runServiceRm(cli: Cli, _o: ServiceRmOptions, names: string[]): Promise<void> {
  const engine = await cli.engine();
  await forEachTarget(cli, names, async (n) => {
    await engine.json({ method: 'DELETE', path: `/services/${encodeURIComponent(n)}` });
  }, { echo: true });
}
