import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { forEachTarget } from '../../engine/targets.js';
import { waitExit } from './attach-stream.js';

export const spec = dockerSpec<Record<string, never>>('container wait', { args: minArgs(1), run: runWait });

export async function runWait(cli: Cli, _o: Record<string, never>, args: string[]): Promise<void> {
  const engine = await cli.engine();
  await forEachTarget(cli, args, async (t) => {
    const r = await waitExit(engine, t);
    return String(r.StatusCode);
  });
}
