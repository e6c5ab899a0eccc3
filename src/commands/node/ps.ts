import type { Cli } from '../../cli/cli.js';
import { anyArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { parseFilters } from '../../cli/filters.js';
import { printTasks } from '../service/tasks.js';
import { nodeReference } from './common.js';

export interface NodePsOptions {
  filter: string[];
  format: string;
  noResolve: boolean;
  noTrunc: boolean;
  quiet: boolean;
}

export const spec = dockerSpec<NodePsOptions>('node ps', { args: anyArgs, run: runNodePs });

export async function runNodePs(cli: Cli, o: NodePsOptions, ids: string[]): Promise<void> {
  const engine = await cli.engine();
  const errs: string[] = [];
  const tasks: any[] = [];
  for (const id of ids.length ? ids : ['self']) {
    try {
      const ref = await nodeReference(engine, id);
      const node = await engine.json<any>({ path: `/nodes/${encodeURIComponent(ref)}` });
      const f = parseFilters(o.filter);
      f.node = { ...(f.node ?? {}), [node.ID]: true };
      tasks.push(...(await engine.json<any[]>({ path: '/tasks', query: { filters: JSON.stringify(f) } })));
    } catch (e) {
      errs.push((e as Error).message);
    }
  }
  if (!errs.length || tasks.length) await printTasks(cli, engine, tasks, o.noResolve, !o.noTrunc, o.quiet, o.format);
  if (errs.length) throw new StatusError(errs.join('\n'), 1);
}
