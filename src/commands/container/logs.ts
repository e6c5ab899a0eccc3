import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { parseDuration } from '../../cli/opts.js';
import { copyRaw, demux, ownReadOptions } from '../../stream/demux.js';

export interface LogsOptions {
  details: boolean;
  follow: boolean;
  since: string;
  tail: string;
  timestamps: boolean;
  until: string;
}

export const spec = dockerSpec<LogsOptions>('container logs', { args: exactArgs(1), run: runLogs });

/** docker's timetypes.GetTimestamp: a duration ago (whole seconds), a Unix time, or an RFC 3339 date ("seconds.nanos"). */
export function timestampArg(value: string, now = Date.now(), flag = 'since'): string {
  if (/^\d+(\.\d+)?$/.test(value)) return value;
  try {
    const ns = parseDuration(value);
    // a duration ago is whole seconds, as docker sends it (strconv.FormatInt(reference.Add(-d).Unix(), 10))
    return String(Math.floor((now * 1e6 - ns) / 1e9));
  } catch {
    // not a duration
  }
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new StatusError(`invalid value for "${flag}": failed to parse value as time or duration: "${value}"`, 1);
  return `${Math.trunc(ms / 1000)}.${String((ms % 1000) * 1e6).padStart(9, '0')}`;
}

export async function runLogs(cli: Cli, o: LogsOptions, [name]: string[]): Promise<void> {
  const engine = await cli.engine();
  const c = await engine.json<{ Id: string; Config: { Tty: boolean } }>({ path: `/containers/${encodeURIComponent(name)}/json` });
  const { body: res } = await engine.streamBody(`/containers/${c.Id}/logs`, {
      stdout: '1', stderr: '1', follow: o.follow ? '1' : undefined, timestamps: o.timestamps ? '1' : undefined, details: o.details ? '1' : undefined,
      tail: o.tail || 'all', since: o.since ? timestampArg(o.since) : undefined, until: o.until ? timestampArg(o.until, Date.now(), 'until') : undefined,
  });
  if (c.Config.Tty) await copyRaw(res, cli.out.stream);
  else await demux(res, cli.out.stream, cli.err.stream, ownReadOptions(res));
}
