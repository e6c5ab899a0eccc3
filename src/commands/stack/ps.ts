import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { parseFilters } from '../../cli/filters.js';
import { printTasks } from '../service/tasks.js';
import { LABEL_NAMESPACE } from './convert.js';

export interface StackPsOptions {
  filter: string[];
  format: string;
  noResolve: boolean;
  noTrunc: boolean;
  quiet: boolean;
}

export const spec = dockerSpec<StackPsOptions>('stack ps', { args: exactArgs(1), run: runStackPs });

export async function runStackPs(cli: Cli, o: StackPsOptions, [ns]: string[]): Promise<void> {
  const engine = await cli.engine();
  const f = parseFilters(o.filter);
  f.label = { ...(f.label ?? {}), [`${LABEL_NAMESPACE}=${ns}`]: true };
  const tasks = await engine.json<any[]>({ path: '/tasks', query: { filters: JSON.stringify(f) } });
  if (!tasks.length) throw new StatusError(`nothing found in stack: ${ns}`, 1);
  await printTasks(cli, engine, tasks, o.noResolve, !(o.noTrunc || o.quiet), o.quiet, o.format);
}
