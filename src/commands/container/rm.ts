import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { DaemonError } from '../../engine/errors.js';
import { forEachTarget } from '../../engine/targets.js';

export interface RmOptions {
  force: boolean;
  link: boolean;
  volumes: boolean;
}

export const spec = dockerSpec<RmOptions>('container rm', { aliases: ['remove'], args: minArgs(1), run: runRm });

export async function runRm(cli: Cli, o: RmOptions, args: string[]): Promise<void> {
  const engine = await cli.engine();
  await forEachTarget(
    cli,
    args,
    async (t) => {
      const name = t.replace(/^\//, '');
      await engine.json({
        method: 'DELETE',
        path: o.link ? `/containers/${encodeURIComponent(name)}` : `/containers/${encodeURIComponent(name)}`,
        query: { v: o.volumes ? '1' : undefined, force: o.force ? '1' : undefined, link: o.link ? '1' : undefined },
      });
    },
    { echo: true, ignoreFailures: (e) => o.force && e instanceof DaemonError && e.notFound },
  );
}
