import type { Cli } from '../../cli/cli.js';
import type { Invocation } from '../../cli/command.js';
import { forEachTarget, type TargetOptions } from '../../engine/targets.js';
import type { RequestOptions } from '../../cli/engine-client.js';

/** POST the same container action for each target, docker's way (echo each success, report each failure). */
export async function containerAction(cli: Cli, targets: string[], req: (id: string) => RequestOptions, o: TargetOptions = { echo: true }): Promise<void> {
  const engine = await cli.engine();
  await forEachTarget(cli, targets, async (t) => {
    await engine.json({ method: 'POST', okStatus: [304], ...req(encodeURIComponent(t)) });
  }, o);
}

/** The options of stop and restart: -s/--signal, and -t/--timeout sent only when given. */
export interface StopOptions {
  signal: string;
  timeout: number;
}

/** container stop / restart: the action POSTed for each container with the given signal and timeout. */
export function stopAction(verb: 'stop' | 'restart'): (cli: Cli, o: StopOptions, args: string[], inv: Invocation) => Promise<void> {
  return async (cli, o, args, inv) => {
    const query = { t: inv.changed.has('timeout') ? String(o.timeout) : undefined, signal: o.signal || undefined };
    await containerAction(cli, args, (id) => ({ path: `/containers/${id}/${verb}`, query }));
  };
}
