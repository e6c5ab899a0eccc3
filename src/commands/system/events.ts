import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { SilentError, StatusError, UnexpectedEOF } from '../../cli/errors.js';
import { filtersQuery } from '../../cli/filters.js';
import { parseTemplate, TemplateError, type Template } from '../../format/template/index.js';
import { eventLine, eventValue, type ApiEvent } from '../../format/events.js';
import { timestampArg } from '../container/logs.js';
import { proxySignals } from '../../stream/terminal.js';

export interface EventsOptions {
  filter: string[];
  format: string;
  since: string;
  until: string;
}

export const spec = dockerSpec<EventsOptions>('system events', { args: noArgs, run: runEvents });

function timeArg(v: string): string {
  try {
    return timestampArg(v);
  } catch {
    throw new StatusError(`failed to parse value as time or duration: "${v}"`, 1);
  }
}

export async function runEvents(cli: Cli, o: EventsOptions): Promise<void> {
  let tmpl: Template | null = null;
  if (o.format) {
    const text = o.format === 'json' ? '{{json .}}' : o.format;
    try {
      tmpl = parseTemplate(text);
    } catch (e) {
      if (e instanceof TemplateError) throw new StatusError(`Error parsing format: ${e.message}`, 64);
      throw e;
    }
  }
  const since = o.since ? timeArg(o.since) : undefined;
  const until = o.until ? timeArg(o.until) : undefined;
  const engine = await cli.engine();
  const res = await engine.stream({
    path: '/events',
    query: { since, until, filters: filtersQuery(o.filter) },
  });
  const handle = (line: string): void => {
    if (!line.trim()) return;
    const e = JSON.parse(line) as ApiEvent;
    if (!tmpl) {
      cli.print(eventLine(e, line));
      return;
    }
    try {
      cli.print(tmpl.execute(eventValue(e, line)) + '\n');
    } catch (err) {
      if (err instanceof TemplateError) throw new StatusError(`Error parsing format: ${err.message}`, 64);
      throw err;
    }
  };
  let interrupted = 0;
  // docker ends the stream on an interrupt and exits 128+signal (130, 143)
  const numbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGTERM: 15 };
  const unsubscribe = proxySignals((sig) => {
    if (!(sig in numbers) || interrupted) return;
    interrupted = 128 + numbers[sig];
    res.destroy();
  });
  try {
    await readEvents(res, handle);
  } catch (err) {
    if (!interrupted) throw err;
  } finally {
    unsubscribe();
  }
  if (interrupted) throw new SilentError(interrupted);
}

function readEvents(res: import('node:http').IncomingMessage, handle: (line: string) => void): Promise<void> {
  let buf = '';
  return new Promise<void>((resolve, reject) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let i;
      try {
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          handle(line);
        }
      } catch (err) {
        res.destroy();
        reject(err);
      }
    });
    res.on('end', () => {
      try {
        handle(buf);
        resolve();
      } catch (err) {
        reject(err);
      }
    });
    // the engine gone mid-stream: node's 'aborted', Go's unexpected EOF
    res.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ECONNRESET' ? new UnexpectedEOF() : e));
    res.on('close', () => (res.complete ? resolve() : reject(new UnexpectedEOF())));
  });
}
