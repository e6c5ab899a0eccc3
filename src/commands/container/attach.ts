import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { SilentError, StatusError } from '../../cli/errors.js';
import { releaseSignals } from '../../cli/signals.js';
import { sessionDetachKeys } from '../../stream/session.js';
import { attachAndStream, waitExit } from './attach-stream.js';

export interface AttachOptions {
  detachKeys: string;
  noStdin: boolean;
  sigProxy: boolean;
}

export const spec = dockerSpec<AttachOptions>('container attach', { args: exactArgs(1), takesSignals: true, run: runAttach });

export async function runAttach(cli: Cli, o: AttachOptions, [name]: string[]): Promise<void> {
  const engine = await cli.engine();
  // as docker, the wait is asked for before anything else: a container started with --rm is gone by
  // the time the stream ends, and its status is known only to a wait that was already waiting
  const status = waitExit(engine, name, 'not-running');
  status.catch(() => {});
  const c = await engine.json<{ Id: string; State: { Running: boolean; Paused: boolean; Restarting: boolean }; Config: { Tty: boolean; OpenStdin: boolean } }>({
    path: `/containers/${encodeURIComponent(name)}/json`,
  });
  if (!c.State.Running) throw new StatusError('You cannot attach to a stopped container, start it first', 1);
  if (c.State.Paused) throw new StatusError('You cannot attach to a paused container, unpause it first', 1);
  if (c.State.Restarting) throw new StatusError('You cannot attach to a restarting container, wait until it is running', 1);
  const stdin = !o.noStdin && c.Config.OpenStdin;
  if (c.Config.Tty && stdin && !cli.in.isTTY) throw new StatusError('the input device is not a TTY', 1);
  const sigProxy = o.sigProxy && !c.Config.Tty;
  // signals held since the start go to the container with --sig-proxy (docker traps them from its
  // first instant), else they take effect now
  if (!sigProxy) releaseSignals();
  const detached = await attachAndStream(cli, engine, {
    id: c.Id, tty: c.Config.Tty, stdin, stdout: true, stderr: true, detachKeys: sessionDetachKeys(cli, o.detachKeys), sigProxy,
  });
  // docker's attach returns the escape proxy's error: printed, status 1 (run alone takes it as a detach)
  if (detached) throw new StatusError('read escape sequence', 1);
  const w = await status;
  if (w.Error?.Message) throw new StatusError(w.Error.Message, 1);
  if (w.StatusCode) throw new SilentError(w.StatusCode);
}
