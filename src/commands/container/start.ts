import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { SilentError, StatusError } from '../../cli/errors.js';
import { forEachTarget } from '../../engine/targets.js';
import { sessionDetachKeys } from '../../stream/session.js';
import { attachAndStream } from './attach-stream.js';

export interface StartOptions {
  attach: boolean;
  interactive: boolean;
  detachKeys: string;
  checkpoint: string;
  checkpointDir: string;
}

export const spec = dockerSpec<StartOptions>('container start', { args: minArgs(1), run: runStart });

export async function runStart(cli: Cli, o: StartOptions, args: string[]): Promise<void> {
  const engine = await cli.engine();
  if (o.attach || o.interactive) {
    if (args.length > 1) throw new StatusError('you cannot start and attach multiple containers at once', 1);
    const c = await engine.json<{ Id: string; Config: { Tty: boolean; OpenStdin: boolean } }>({ path: `/containers/${encodeURIComponent(args[0])}/json` });
    const stdin = o.interactive && c.Config.OpenStdin;
    if (c.Config.Tty && stdin && !cli.in.isTTY) throw new StatusError('the input device is not a TTY', 1);
    const detached = await attachAndStream(cli, engine, {
      id: c.Id, tty: c.Config.Tty, stdin, stdout: true, stderr: true, detachKeys: sessionDetachKeys(cli, o.detachKeys), sigProxy: !c.Config.Tty,
      cancelOnTermination: true,
      start: async () => {
        await engine.json({ method: 'POST', path: `/containers/${c.Id}/start`, okStatus: [304] });
      },
    });
    if (detached) return;
    const w = await engine.json<{ StatusCode: number }>({ method: 'POST', path: `/containers/${c.Id}/wait` });
    if (w.StatusCode !== 0) throw new SilentError(w.StatusCode);
    return;
  }
  await forEachTarget(
    cli,
    args,
    async (t) => {
      await engine.json({ method: 'POST', path: `/containers/${encodeURIComponent(t)}/start`, okStatus: [304] });
    },
    { echo: true, summary: 'failed to start containers' },
  );
}
