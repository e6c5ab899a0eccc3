import { readFileSync } from 'node:fs';
import type { Cli } from '../../cli/cli.js';
import { exactArgs, type Invocation } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { ComposeError, loadProject } from '../../compose/index.js';
import { ForbiddenPropertiesError, loadV3, stackWarnings, V3Error } from '../../compose/v3.js';
import { parseNormalized } from '../../engine/refs.js';
import { logLine } from '../../go/log.js';
import { DaemonError } from '../../engine/errors.js';
import { retrieveAuth } from '../service/auth.js';
import { waitOnService } from '../service/progress.js';
import { checkManager, stackObjects } from './common.js';
import { LABEL_IMAGE, stackFiles, stackNetworks, stackServices, validateStack } from './convert.js';

export interface StackDeployOptions {
  composeFile: string[];
  detach: boolean;
  prune: boolean;
  quiet: boolean;
  resolveImage: string;
  withRegistryAuth: boolean;
}

export const spec = dockerSpec<StackDeployOptions>('stack deploy', { aliases: ['up'], args: exactArgs(1), flags: { 'compose-file': { kind: 'list', default: [] } }, run: runStackDeploy });

export async function runStackDeploy(cli: Cli, o: StackDeployOptions, [ns]: string[], inv: Invocation): Promise<void> {
  if (!['always', 'changed', 'never'].includes(o.resolveImage)) throw new StatusError(`Invalid option ${o.resolveImage} for flag --resolve-image`, 1);
  const files = (o.composeFile as string[]).flatMap((f) => f.split(','));
  if (!files.length) throw new StatusError('Please specify a Compose file (with --compose-file).', 1);
  // docker/cli's own loader first: its errors, its warnings, its image checks (the deploy itself is
  // converted from the Compose model below)
  try {
    const v3 = loadV3({ files, cwd: cli.cwd, env: cli.env, stdin: () => readFileSync(cli.in.fd ?? 0, 'utf8'), warn: (m) => cli.warn(logLine('warning', m)) });
    const { unsupported, deprecated } = stackWarnings(v3.dicts ?? []);
    if (unsupported.length) cli.warn(`Ignoring unsupported options: ${unsupported.join(', ')}\n\n`);
    const dep = Object.entries(deprecated).map(([k, v]) => `${k}: ${v}`).sort();
    if (dep.length) cli.warn(`Ignoring deprecated options:\n\n${dep.join('\n\n')}\n\n`);
    for (const name of Object.keys(v3.services).sort()) {
      const image = v3.services[name].image as string | undefined;
      if (!image) throw new StatusError(`invalid image reference for service ${name}: no image specified`, 1);
      if (!/^(sha256:)?[a-f0-9]{64}$/.test(image)) {
        try {
          parseNormalized(image);
        } catch (e) {
          throw new StatusError(`invalid image reference for service ${name}: ${(e as Error).message}`, 1);
        }
      }
    }
  } catch (e) {
    if (e instanceof ForbiddenPropertiesError) {
      const props = Object.entries(e.properties).map(([k, v]) => `${k}: ${v}`).sort();
      throw new StatusError(`Compose file contains unsupported options:\n\n${props.join('\n\n')}\n\n`, 1);
    }
    if (e instanceof V3Error) throw new StatusError(e.message, 1);
    throw e;
  }
  let project;
  try {
    project = loadProject({ files, env: cli.env, cwd: cli.cwd, projectName: ns, stdin: () => readFileSync(cli.in.fd ?? 0, "utf8") });
  } catch (e) {
    if (e instanceof ComposeError) throw new StatusError(e.message, 1);
    throw e;
  }
  validateStack(project);
  const engine = await cli.engine();
  if (o.detach && !inv.changed.has('detach')) cli.warn('Since --detach=false was not specified, tasks will be created in the background.\nIn a future release, --detach=false will become the default.\n');
  await checkManager(engine);
  if (o.prune) {
    const keep = new Set(Object.keys(project.services).map((k) => `${ns}_${k}`));
    for (const s of await stackObjects(engine, 'services', ns)) {
      if (keep.has(s.Spec.Name)) continue;
      cli.print(`Removing service ${s.Spec.Name}\n`);
      try {
        await engine.json({ method: 'DELETE', path: `/services/${s.ID}` });
      } catch (e) {
        cli.warn(`Failed to remove service ${s.ID}: ${(e as Error).message}\n`);
      }
    }
  }
  const { create, external } = stackNetworks(project, ns);
  for (const n of external) {
    let net: any;
    try {
      net = await engine.json<any>({ path: `/networks/${encodeURIComponent(n)}` });
    } catch (e) {
      if (e instanceof DaemonError && e.notFound) throw new StatusError(`network "${n}" is declared as external, but could not be found. You need to create a swarm-scoped network before the stack is deployed`, 1);
      throw e;
    }
    if (net.Scope !== 'swarm') throw new StatusError(`network "${n}" is declared as external, but it is not in the right scope: "${net.Scope}" instead of "swarm"`, 1);
  }
  const existing = new Set((await stackObjects(engine, 'networks', ns)).map((n) => n.Name));
  for (const n of create) {
    if (existing.has(n.name)) continue;
    cli.print(`Creating network ${n.name}\n`);
    try {
      await engine.json({ method: 'POST', path: '/networks/create', body: n.create });
    } catch (e) {
      throw new StatusError(`failed to create network ${n.name}: ${(e as Error).message}`, 1);
    }
  }
  const ids = { secrets: new Map<string, string>(), configs: new Map<string, string>() };
  for (const kind of ['secrets', 'configs'] as const) {
    const word = kind === 'secrets' ? 'secret' : 'config';
    for (const s of stackFiles(project, ns, kind)) {
      try {
        const cur = await engine.json<any>({ path: `/${kind}/${encodeURIComponent(s.Name)}` });
        await engine.json({ method: 'POST', path: `/${kind}/${cur.ID}/update`, query: { version: cur.Version.Index }, body: s }).catch((e) => {
          throw new StatusError(`failed to update ${word} ${s.Name}: ${(e as Error).message}`, 1);
        });
      } catch (e) {
        if (!(e instanceof DaemonError && e.notFound)) throw e;
        cli.print(`Creating ${word} ${s.Name}\n`);
        try {
          await engine.json({ method: 'POST', path: `/${kind}/create`, body: s });
        } catch (e2) {
          throw new StatusError(`failed to create ${word} ${s.Name}: ${(e2 as Error).message}`, 1);
        }
      }
    }
    for (const x of (await engine.json<any[]>({ path: `/${kind}` })) ?? []) ids[kind].set(x.Spec.Name, x.ID);
  }
  const netIds = new Map<string, string>();
  for (const n of (await engine.json<any[]>({ path: '/networks' })) ?? []) netIds.set(n.Name, n.Id);
  const specs = stackServices(project, ns, netIds, ids.secrets, ids.configs);
  const current = new Map((await stackObjects(engine, 'services', ns)).map((s) => [s.Spec.Name, s]));
  const serviceIds: string[] = [];
  for (const key of Object.keys(specs)) {
    const sp = specs[key];
    const image = sp.TaskTemplate.ContainerSpec.Image;
    const registryAuth = o.withRegistryAuth ? retrieveAuth(cli, image) : undefined;
    const cur = current.get(sp.Name);
    if (cur) {
      cli.print(`Updating service ${sp.Name} (id: ${cur.ID})\n`);
      const query: Record<string, string> = { version: String(cur.Version.Index) };
      if (o.resolveImage === 'always' || (o.resolveImage === 'changed' && image !== cur.Spec.Labels?.[LABEL_IMAGE])) query.queryRegistry = 'true';
      else if (image === cur.Spec.Labels?.[LABEL_IMAGE]) sp.TaskTemplate.ContainerSpec.Image = cur.Spec.TaskTemplate.ContainerSpec.Image;
      sp.TaskTemplate.ForceUpdate = cur.Spec.TaskTemplate.ForceUpdate;
      let r: any;
      try {
        r = await engine.json({ method: 'POST', path: `/services/${cur.ID}/update`, query, body: sp, registryAuth });
      } catch (e) {
        throw new StatusError(`failed to update service ${sp.Name}: ${(e as Error).message}`, 1);
      }
      for (const w of r?.Warnings ?? []) cli.warn(w + '\n');
      serviceIds.push(cur.ID);
    } else {
      cli.print(`Creating service ${sp.Name}\n`);
      if (o.resolveImage !== 'never') {
        // QueryRegistry: the digest when the registry has it, else the tagged name (warning not printed by stack deploy)
        const { resolveImage } = await import('../../engine/servicespec.js');
        sp.TaskTemplate.ContainerSpec.Image = (await resolveImage(engine, image, registryAuth)).image;
      }
      let r: any;
      try {
        r = await engine.json({ method: 'POST', path: '/services/create', body: sp, registryAuth });
      } catch (e) {
        throw new StatusError(`failed to create service ${sp.Name}: ${(e as Error).message}`, 1);
      }
      serviceIds.push(r.ID);
    }
  }
  if (o.detach) return;
  // docker's waitOnServices: every service waited on, the errors joined
  const errs: string[] = [];
  for (const id of serviceIds) {
    try {
      await waitOnService(cli, engine, id, o.quiet);
    } catch (e) {
      errs.push(`${id}: ${(e as Error).message}`);
    }
  }
  if (errs.length) throw new StatusError(errs.join('\n'), 1);
}
