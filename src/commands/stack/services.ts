import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { parseFilters } from '../../cli/filters.js';
import { serviceContext, SERVICE_FORMAT } from '../../format/contexts/swarm.js';
import { listFormat, printList } from '../print-list.js';
import { LABEL_NAMESPACE } from './convert.js';

export interface StackServicesOptions {
  filter: string[];
  format: string;
  quiet: boolean;
}

export const spec = dockerSpec<StackServicesOptions>('stack services', { args: exactArgs(1), run: runStackServices });

export async function runStackServices(cli: Cli, o: StackServicesOptions, [ns]: string[]): Promise<void> {
  const engine = await cli.engine();
  const f = parseFilters(o.filter);
  f.label = { ...(f.label ?? {}), [`${LABEL_NAMESPACE}=${ns}`]: true };
  const services = await engine.json<any[]>({ path: '/services', query: { filters: JSON.stringify(f), status: o.quiet ? undefined : 'true' } });
  if (!services.length) {
    if (!o.quiet) cli.warn(`Nothing found in stack: ${ns}\n`);
    return;
  }
  services.sort((a, b) => (a.Spec.Name < b.Spec.Name ? -1 : a.Spec.Name > b.Spec.Name ? 1 : 0));
  printList(cli, listFormat(o.format, cli.config.file.servicesFormat, o.quiet, '{{.ID}}'), services.map(serviceContext), SERVICE_FORMAT);
}
