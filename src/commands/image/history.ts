import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { historyRow, HISTORY_FORMAT, HISTORY_FORMAT_NON_HUMAN, type ApiHistory } from '../../format/contexts/image.js';
import { listFormat, printList } from '../print-list.js';

export interface HistoryOptions {
  format: string;
  human: boolean;
  noTrunc: boolean;
  quiet: boolean;
  platform: string;
}

export const spec = dockerSpec<HistoryOptions>('image history', { args: exactArgs(1), run: runHistory });

export async function runHistory(cli: Cli, o: HistoryOptions, [name]: string[]): Promise<void> {
  const engine = await cli.engine();
  const history = await engine.json<ApiHistory[]>({ path: `/images/${encodeURIComponent(name)}/history` });
  const format = listFormat(o.format, undefined, o.quiet, '{{.ID}}');
  const rows = history.map((h) => historyRow(h, { trunc: !o.noTrunc, human: o.human, tz: cli.env.TZ }));
  printList(cli, format, rows, o.human ? HISTORY_FORMAT : HISTORY_FORMAT_NON_HUMAN);
}
