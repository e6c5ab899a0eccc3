import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { parseFilters } from '../../cli/filters.js';
import { printTasks } from './tasks.js';

export interface ServicePsOptions {
  filter: string[];
  format: string;
  noResolve: boolean;
  noTrunc: boolean;
  quiet: boolean;
}

export const spec = dockerSpec<ServicePsOptions>('service ps', { args: minArgs(1), run: runServicePs });

export async function runServicePs(cli: Cli, o: ServicePsOptions, services: string[]): Promise<void> {
  const engine = await cli.engine();
  const filter = parseFilters(o.filter);
  const q = (k: string): string => JSON.stringify({ [k]: Object.fromEntries(services.map((s) => [s, true])) });
  const byId = await engine.json<any[]>({ path: '/services', query: { filters: q('id') } });
  const byName = await engine.json<any[]>({ path: '/services', query: { filters: q('name') } });
  const notfound: string[] = [];
  const ids: string[] = [];
  for (const s of services) {
    const exact = byId.find((x) => x.ID === s) ?? byName.find((x) => x.Spec.Name === s);
    if (exact) {
      ids.push(exact.ID);
      continue;
    }
    const pre = byId.filter((x) => x.ID.startsWith(s));
    if (pre.length > 1) throw new StatusError('multiple services found with provided prefix: ' + s, 1);
    if (pre.length) ids.push(pre[0].ID);
    else notfound.push('no such service: ' + s);
  }
  if (!ids.length) throw new StatusError(notfound.join('\n'), 1);
  filter.service = { ...(filter.service ?? {}), ...Object.fromEntries(ids.map((i) => [i, true])) };
  if (filter.node) {
    const resolved: Record<string, boolean> = {};
    for (const n of Object.keys(filter.node)) {
      if (n === 'self') {
        const info = await engine.json<any>({ path: '/info' });
        resolved[info.Swarm.NodeID] = true;
      } else resolved[n] = true;
    }
    filter.node = resolved;
  }
  const tasks = await engine.json<any[]>({ path: '/tasks', query: { filters: JSON.stringify(filter) } });
  const quiet = o.quiet;
  await printTasks(cli, engine, tasks, o.noResolve, !(o.noTrunc || quiet), quiet, o.format);
  if (notfound.length) throw new StatusError(notfound.join('\n'), 1);
}
