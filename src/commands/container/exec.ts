import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { SilentError, StatusError } from '../../cli/errors.js';
import { runSession, sessionDetachKeys } from '../../stream/session.js';
import { makeRaw, onResize, terminalSize } from '../../stream/terminal.js';
import { resizeTo } from './attach-stream.js';
import { readFileSync } from 'node:fs';

export interface ExecOptions {
  detach: boolean;
  detachKeys: string;
  env: string[];
  envFile: string[];
  interactive: boolean;
  privileged: boolean;
  tty: boolean;
  user: string;
  workdir: string;
}

export const spec = dockerSpec<ExecOptions>('container exec', { args: minArgs(2), interspersed: false, run: runExec });

function envFile(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

export async function runExec(cli: Cli, o: ExecOptions, [container, ...cmd]: string[]): Promise<void> {
  if (o.tty && o.interactive && !o.detach && !cli.in.isTTY) throw new StatusError('the input device is not a TTY', 1);
  const engine = await cli.engine();
  const env = [...o.envFile.flatMap(envFile), ...o.env].map((e) => (e.includes('=') || cli.env[e] === undefined ? e : `${e}=${cli.env[e]}`));
  const size = o.tty ? terminalSize(cli) : undefined;
  const attach = !o.detach;
  const created = await engine.json<{ Id: string }>({
    method: 'POST',
    path: `/containers/${encodeURIComponent(container)}/exec`,
    body: {
      User: o.user, Privileged: o.privileged, Tty: o.tty, AttachStdin: attach && o.interactive, AttachStderr: attach, AttachStdout: attach,
      Detach: o.detach, DetachKeys: o.detachKeys, Env: env, WorkingDir: o.workdir, Cmd: cmd, ConsoleSize: size ?? undefined,
    },
  });
  if (o.detach) {
    await engine.json({ method: 'POST', path: `/exec/${created.Id}/start`, body: { Detach: true, Tty: o.tty } });
    return;
  }
  const socket = await engine.hijack(`/exec/${created.Id}/start`, {}, { Detach: false, Tty: o.tty, ConsoleSize: size ?? undefined });
  const restore = o.tty && o.interactive ? makeRaw(cli) : () => {};
  const resize = (retries = 0): void => void resizeTo(engine, `/exec/${created.Id}/resize`, cli, retries);
  const unresize = o.tty ? onResize(cli, () => resize()) : () => {};
  let detached = false;
  try {
    if (o.tty) resize(10);
    detached = (await runSession(cli, socket, { tty: o.tty, stdin: o.interactive, detachKeys: sessionDetachKeys(cli, o.detachKeys) })).detached;
  } finally {
    unresize();
    restore();
  }
  // as docker's exec: the escape proxy's error is the command's (printed, status 1)
  if (detached) throw new StatusError('read escape sequence', 1);
  const info = await engine.json<{ ExitCode: number | null; Running: boolean }>({ path: `/exec/${created.Id}/json` });
  if (info.ExitCode) throw new SilentError(info.ExitCode);
}
