import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { DaemonError } from '../../engine/errors.js';

export interface NetworkRmOptions {
  force: boolean;
}

export const spec = dockerSpec<NetworkRmOptions>('network rm', { aliases: ['remove'], args: minArgs(1), run: runNetworkRm });

export async function runNetworkRm(cli: Cli, o: NetworkRmOptions, names: string[]): Promise<void> {
  const engine = await cli.engine();
  let failed = false;
  for (const n of names) {
    try {
      await engine.json({ method: 'DELETE', path: `/networks/${encodeURIComponent(n)}` });
      cli.print(n + '\n');
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
      if (o.force && e instanceof DaemonError && e.notFound) continue;
      // docker reports each failure as it happens, then its exit status
      cli.warn(e.message + '\n');
      failed = true;
    }
  }
  if (failed) throw new StatusError('exit status 1', 1);
}
