/** `compose run` (a one-off container of a service) and `compose exec` (a command in a service's container). */
import { randomBytes } from 'node:crypto';
import { StatusError } from '../../cli/errors.js';
import { parseVolume, parsePort, selectServices } from '../../compose/index.js';
import { runStart } from '../container/start.js';
import { runExec as containerExec } from '../container/exec.js';
import type { ComposeContext } from './index.js';
import { createBody, imageOf, L, projectContainers, name } from './project.js';
import { runUp } from './verbs.js';

export async function runRun(ctx: ComposeContext, o: Record<string, any>, [service, ...command]: string[]): Promise<void> {
  const p = ctx.project([service]);
  if (!p.services[service]) throw new StatusError(`no such service: ${service}`, 1);
  const s = { ...p.services[service] };
  const deps = selectServices(p, [service]).filter((n) => n !== service);
  if (!o.noDeps && deps.length) {
    await runUp(ctx, { detach: true }, deps);
  }
  if (command.length) s.command = command;
  if (o.entrypoint) s.entrypoint = [o.entrypoint];
  if (o.user) s.user = o.user;
  if (o.workdir) s.working_dir = o.workdir;
  if (!o.servicePorts) s.ports = [];
  for (const pub of o.publish ?? []) s.ports = [...(s.ports ?? []), ...parsePort(pub)];
  if (o.volume?.length) s.volumes = [...(s.volumes ?? []), ...o.volume.map((v: string) => parseVolume(v))];
  const env = { ...(s.environment ?? {}) };
  for (const e of o.env ?? []) {
    const i = e.indexOf('=');
    if (i < 0) env[e] = ctx.cli.env[e] ?? null;
    else env[e.slice(0, i)] = e.slice(i + 1);
  }
  s.environment = env;
  const engine = await ctx.engine();
  const img = await engine.json<{ Id: string }>({ path: `/images/${encodeURIComponent(imageOf(p, s))}/json` });
  const slug = randomBytes(32).toString('hex');
  const cname = o.name || `${p.name}-${service}-run-${slug.slice(0, 12)}`;
  const body = createBody(p, s, 1, img.Id, true);
  (body.Labels as Record<string, string>)[L.slug] = slug;
  const tty = !o.noTty && !o.detach && ctx.cli.in.isTTY && ctx.cli.out.isTTY;
  Object.assign(body, { Tty: tty, OpenStdin: !o.detach, AttachStdin: !o.detach, AttachStdout: !o.detach, AttachStderr: !o.detach, StdinOnce: !o.detach });
  (body.HostConfig as Record<string, unknown>).RestartPolicy = undefined;
  (body.HostConfig as Record<string, unknown>).AutoRemove = !!o.rm && !!o.detach;
  const net = (body.NetworkingConfig as any)?.EndpointsConfig;
  if (net) for (const k of Object.keys(net)) net[k].Aliases = [cname, service];
  const c = await engine.json<{ Id: string }>({ method: 'POST', path: '/containers/create', query: { name: cname }, body });
  if (o.detach) {
    await engine.json({ method: 'POST', path: `/containers/${c.Id}/start` });
    ctx.cli.print(`${cname}\n`);
    return;
  }
  try {
    await runStart(ctx.cli, { attach: true, interactive: true, detachKeys: '', checkpoint: '', checkpointDir: '' }, [c.Id]);
  } finally {
    if (o.rm) await engine.json({ method: 'DELETE', path: `/containers/${c.Id}`, query: { force: '1' } }).catch(() => undefined);
  }
}

export async function runExec(ctx: ComposeContext, o: Record<string, any>, [service, ...command]: string[]): Promise<void> {
  const p = ctx.project([service]);
  if (!p.services[service]) throw new StatusError(`no such service: ${service}`, 1);
  const engine = await ctx.engine();
  const list = (await projectContainers(engine, p.name, { services: [service] })).filter((c) => c.State === 'running');
  const index = o.index || 1;
  const target = list.find((c) => Number(c.Labels[L.number]) === index);
  if (!target) {
    throw new StatusError(list.length === 0 ? `service "${service}" is not running` : `service "${service}" is not running container #${index}`, 1);
  }
  await containerExec(ctx.cli, {
    detach: !!o.detach,
    detachKeys: '',
    env: o.env ?? [],
    envFile: [],
    interactive: !o.detach,
    privileged: !!o.privileged,
    tty: !o.noTty && !o.detach && ctx.cli.in.isTTY,
    user: o.user ?? '',
    workdir: o.workdir ?? '',
  }, [name(target), ...command]);
}
