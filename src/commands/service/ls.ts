import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { filtersQuery } from '../../cli/filters.js';
import { serviceContext, SERVICE_FORMAT } from '../../format/contexts/swarm.js';
import { listFormat, printList } from '../print-list.js';

export interface ServiceLsOptions {
  filter: string[];
  format: string;
  quiet: boolean;
}

export const spec = dockerSpec<ServiceLsOptions>('service ls', { aliases: ['list'], args: noArgs, run: runServiceLs });

export async function runServiceLs(cli: Cli, o: ServiceLsOptions): Promise<void> {
  const engine = await cli.engine();
  const services = await engine.json<any[]>({ path: '/services', query: { filters: filtersQuery(o.filter), status: o.quiet ? undefined : 'true' } });
  services.sort((a, b) => (a.Spec.Name < b.Spec.Name ? -1 : a.Spec.Name > b.Spec.Name ? 1 : 0));
  printList(cli, listFormat(o.format, cli.config.file.servicesFormat, o.quiet, '{{.ID}}'), services.map(serviceContext), SERVICE_FORMAT);
}
