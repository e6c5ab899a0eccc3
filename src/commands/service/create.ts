import type { Cli } from '../../cli/cli.js';
import { minArgs, type Invocation } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { retrieveAuth } from './auth.js';
import { buildServiceSpec, resolveImage, SERVICE_FLAG_KINDS, type ServiceCreateOptions } from '../../engine/servicespec.js';
import { waitOnService } from './progress.js';

export type { ServiceCreateOptions };

export const spec = dockerSpec<ServiceCreateOptions>('service create', { args: minArgs(1), interspersed: false, flags: SERVICE_FLAG_KINDS, run: runServiceCreate });

export async function runServiceCreate(cli: Cli, o: ServiceCreateOptions, [image, ...args]: string[], inv: Invocation): Promise<void> {
  const engine = await cli.engine();
  const body = await buildServiceSpec(engine, o, image, args, inv.changed, cli.env);
  const registryAuth = o.withRegistryAuth ? retrieveAuth(cli, image) : undefined;
  const warnings: string[] = [];
  if (!o.noResolveImage) {
    const r = await resolveImage(engine, image, registryAuth);
    body.TaskTemplate.ContainerSpec.Image = r.image;
    if (r.warning) warnings.push(r.warning);
  }
  const res = await engine.json<{ ID: string; Warnings?: string[] | null }>({ method: 'POST', path: '/services/create', body, registryAuth });
  for (const w of [...warnings, ...(res.Warnings ?? [])]) cli.warn(w + '\n');
  cli.print(res.ID + '\n');
  if (!o.detach) await waitOnService(cli, engine, res.ID, o.quiet);
}
