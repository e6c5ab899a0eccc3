import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { waitOnService } from './progress.js';

export interface ServiceRollbackOptions {
  detach: boolean;
  quiet: boolean;
}

export const spec = dockerSpec<ServiceRollbackOptions>('service rollback', { args: exactArgs(1), run: runServiceRollback });

export async function runServiceRollback(cli: Cli, o: ServiceRollbackOptions, [name]: string[]): Promise<void> {
  const engine = await cli.engine();
  const svc = await engine.json<any>({ path: `/services/${encodeURIComponent(name)}` });
  const res = await engine.json<any>({ method: 'POST', path: `/services/${svc.ID}/update`, query: { version: svc.Version.Index, rollback: 'previous' }, body: svc.Spec });
  for (const w of res?.Warnings ?? []) cli.warn(w + '\n');
  cli.print(name + '\n');
  if (!o.detach) await waitOnService(cli, engine, name, o.quiet);
}
