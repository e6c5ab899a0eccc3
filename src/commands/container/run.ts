import type { Cli } from '../../cli/cli.js';
import { minArgs, type Invocation } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { errorMessage, SilentError, StatusError } from '../../cli/errors.js';
import { ConnectError } from '../../engine/errors.js';
import { logLine } from '../../go/log.js';
import { RUN_FLAG_PARSERS, withHiddenRunFlags, type RunOptions } from './run-options.js';
import { sessionDetachKeys } from '../../stream/session.js';
import { attachAndStream, readWaitBody, waitRequest } from './attach-stream.js';
import { createContainer, runError } from './create-container.js';

export const spec = withHiddenRunFlags(dockerSpec<RunOptions>('container run', { args: minArgs(1), interspersed: false, flags: RUN_FLAG_PARSERS, run: runRun }));

/** docker's exit status for a container that failed to start (runStartContainerErr). */
export function startFailureStatus(message: string): number {
  if (/executable file not found|no such file or directory|system cannot find the file specified/.test(message)) return 127;
  if (/permission denied|is a directory/.test(message)) return 126;
  return 125;
}

export async function runRun(cli: Cli, o: RunOptions, args: string[], inv: Invocation): Promise<void> {
  if (o.detach && o.attach.length) throw new StatusError('conflicting options: cannot specify both --attach and --detach', 1);
  const attach = new Set(o.attach);
  const stdin = o.attach.length ? attach.has('stdin') : o.interactive;
  const stdout = o.attach.length ? attach.has('stdout') : true;
  const stderr = o.attach.length ? attach.has('stderr') : true;
  if (!o.detach && o.tty && stdin && !cli.in.isTTY) throw new StatusError('the input device is not a TTY', 1);
  const id = await createContainer(cli, o, args, inv, 'run');
  const engine = await cli.engine();
  const start = async (): Promise<void> => {
    try {
      await engine.json({ method: 'POST', path: `/containers/${id}/start`, okStatus: [304] });
    } catch (e) {
      if (e instanceof StatusError) throw runError(cli, 'run', e.message, startFailureStatus(e.message));
      throw e;
    }
  };
  if (o.detach) {
    await start();
    cli.print(id + '\n');
    return;
  }
  // the wait is registered before the start, so that a quick exit is not missed
  const waitBody = readWaitBody(await waitRequest(engine, id, o.rm ? 'removed' : 'next-exit'));
  waitBody.catch(() => {});
  let detached = false;
  try {
    if (stdin || stdout || stderr) {
      detached = await attachAndStream(cli, engine, {
        id, tty: o.tty, stdin, stdout, stderr, detachKeys: sessionDetachKeys(cli, o.detachKeys), sigProxy: o.sigProxy, start,
      });
    } else {
      await start();
    }
  } catch (e) {
    // a start that failed is removed by the engine (--rm): docker waits for that; an attach that
    // could not dial leaves the container created and ends at once
    if (o.rm && !(e instanceof ConnectError)) await waitBody.catch(() => undefined);
    throw e;
  }
  if (detached) return;
  // docker's waitExitOrRemoved: a failed wait is a log line and status 125
  let status;
  try {
    status = await waitBody;
  } catch (e) {
    cli.warn(logLine('error', `error waiting for container: ${errorMessage(e)}`));
    throw new SilentError(125);
  }
  if (status.Error?.Message) {
    cli.warn(logLine('error', `Error waiting for container: ${status.Error.Message}`));
    throw new SilentError(125);
  }
  if (status.StatusCode !== 0) throw new SilentError(status.StatusCode);
}
