import type { Cli } from '../../cli/cli.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { statsContext, statsEntry, STATS_FORMAT, type StatsEntry } from '../../format/contexts/stats.js';
import { renderList } from '../../format/list.js';
import { printList } from '../print-list.js';

export interface StatsOptions {
  all: boolean;
  format: string;
  noStream: boolean;
  noTrunc: boolean;
}

export const spec = dockerSpec<StatsOptions>('container stats', { run: runStats });

/**
 * One refresh of docker's live view, byte for byte: cursor home and the table, then (as docker's
 * buffer reuse makes it) the same text again line by line with erase-to-end-of-line, then erase below.
 */
export function liveFrame(table: string): string {
  const first = `\x1b[H${table}`;
  return first + first.split('\n').map((l) => `${l} \x1b[K\n`).join('') + '\x1b[J';
}

export async function runStats(cli: Cli, o: StatsOptions, names: string[]): Promise<void> {
  const engine = await cli.engine();
  const format = o.format || cli.config.file.statsFormat || 'table';
  const collect = async (): Promise<{ entries: StatsEntry[]; errors: string[] }> => {
    let targets = names;
    if (!names.length) {
      const list = await engine.json<{ Id: string }[]>({ path: '/containers/json', query: { all: o.all ? '1' : undefined } });
      targets = list.map((c) => c.Id);
    }
    const errors: string[] = [];
    const entries = await Promise.all(
      targets.map(async (t) => {
        try {
          const s = await engine.json({ path: `/containers/${encodeURIComponent(t)}/stats`, query: { stream: 'false' } });
          return statsEntry(t, s);
        } catch (e) {
          if (!(e instanceof StatusError)) throw e;
          errors.push(e.message);
          return undefined;
        }
      }),
    );
    return { entries: entries.filter((e): e is StatsEntry => !!e), errors };
  };
  if (o.noStream) {
    const { entries, errors } = await collect();
    if (errors.length && names.length) throw new StatusError(errors.join('\n'), 1);
    printList(cli, format, entries.map((e) => statsContext(e, !o.noTrunc)), STATS_FORMAT);
    return;
  }
  // the live view, redrawn in place (docker writes the same bytes whether or not stdout is a terminal)
  for (;;) {
    const { entries, errors } = await collect();
    if (errors.length && names.length && entries.length === 0) throw new StatusError(errors.join('\n'), 1);
    const text = renderList(format, entries.map((e) => statsContext(e, !o.noTrunc)), STATS_FORMAT);
    cli.print(liveFrame(text));
    await new Promise((r) => setTimeout(r, 500));
  }
}
