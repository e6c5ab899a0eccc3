import type { Cli } from '../../cli/cli.js';
import { forEachTarget, type TargetOptions } from '../../engine/targets.js';
import type { RequestOptions } from '../../cli/engine-client.js';

/** POST the same container action for each target, docker's way (echo each success, report each failure). */
export async function containerAction(cli: Cli, targets: string[], req: (id: string) => RequestOptions, o: TargetOptions = { echo: true }): Promise<void> {
  const engine = await cli.engine();
  await forEachTarget(cli, targets, async (t) => {
    await engine.json({ method: 'POST', okStatus: [304], ...req(encodeURIComponent(t)) });
  }, o);
}
