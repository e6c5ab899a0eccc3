/** The compose verbs: up, down, ps, logs, start/stop/restart/kill/pause/unpause/rm, config, ls. */
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { EngineClient as Engine } from '../../cli/engine-client.js';
import { DaemonError } from '../../engine/errors.js';
import { SilentError, StatusError } from '../../cli/errors.js';
import { ComposeError, selectServices, type Project } from '../../compose/index.js';
import { composePsContext, COMPOSE_PS_FORMAT, logPrefixer, Progress, type ComposeSummary } from '../../format/compose.js';
import { FormatExecError, FormatParseError, formatErrorText, renderList } from '../../format/list.js';
import { mustPull, pullServiceImage } from './registry.js';
import { timestampArg } from '../container/logs.js';
import type { ComposeContext } from './index.js';
import { containerName, createBody, extraNetworks, imageOf, inDependencyOrder, L, name, projectContainers, upServiceHash, COMPOSE_VERSION, type CreateExtras, type Summary } from './project.js';
import { networkHash, serviceHash, volumeHash } from '../../compose/index.js';

export function progress(ctx: ComposeContext): Progress {
  return new Progress((s) => ctx.cli.warn(s), ctx.progressMode, ctx.dryRun);
}

async function exists(engine: Engine, path: string): Promise<any | undefined> {
  try {
    return await engine.json({ path });
  } catch (e) {
    if (e instanceof DaemonError && e.notFound) return undefined;
    throw e;
  }
}

/** A network's or volume's create body labels: its own, then compose's (project, key, version, hash). */
function resourceLabels(p: Project, kindLabel: string, key: string, own: Record<string, string> | undefined, hash: string): Record<string, string> {
  return { ...(own ?? {}), [kindLabel]: key, [L.project]: p.name, [L.version]: COMPOSE_VERSION, [L.hash]: hash };
}

/** compose's stop(): the services' containers (stopped ones too, one-offs not), in reverse dependency order, Stopping/Stopped each. */
async function stopServices(engine: Engine, p: Project, services: string[], pr: Progress, timeout?: number): Promise<void> {
  const list = await projectContainers(engine, p.name, { all: true });
  const names = services.length ? services : Object.keys(p.services);
  await inDependencyOrder(p, Object.keys(p.services), async (svc) => {
    if (!names.includes(svc)) return;
    await Promise.all(list.filter((c) => c.Labels[L.service] === svc).map(async (c) => {
      pr.event({ kind: 'Container', name: name(c), status: 'Stopping' });
      await engine.json({ method: 'POST', path: `/containers/${c.Id}/stop`, query: { t: timeout }, okStatus: [304] });
      pr.event({ kind: 'Container', name: name(c), status: 'Stopped', done: true });
    }));
  }, true);
}

/**
 * ensureNetwork as v2's resolveOrCreateNetwork: an existing network of that name is kept when its
 * config-hash label is absent or equal; one whose hash diverged is removed after the containers of the
 * services on it are stopped and disconnected, created again, and those containers connected to the new
 * one (with no endpoint settings, as v2 does: the service-name alias is not given back until they are
 * recreated).
 */
async function ensureNetworks(ctx: ComposeContext, engine: Engine, p: Project, services: string[], pr: Progress, timeout?: number): Promise<void> {
  const used = new Set<string>();
  for (const s of services) for (const n of Object.keys(p.services[s].networks ?? {})) used.add(n);
  for (const key of Object.keys(p.networks)) {
    if (!used.has(key)) continue;
    const n = p.networks[key];
    const found = await exists(engine, `/networks/${encodeURIComponent(n.name)}`);
    if (n.external) {
      if (!found) throw new StatusError(`network ${n.name} declared as external, but could not be found`, 1);
      continue;
    }
    const expected = networkHash(n);
    let dangled: Summary[] = [];
    if (found && (found.Name === n.name || found.Id === n.name)) {
      const labels = (found.Labels ?? {}) as Record<string, string>;
      if (labels[L.project] === undefined) ctx.warn(`a network with name ${n.name} exists but was not created by compose.\nSet \`external: true\` to use an existing network`);
      else if (labels[L.project] !== p.name) ctx.warn(`a network with name ${n.name} exists but was not created for project ${JSON.stringify(p.name)}.\nSet \`external: true\` to use an existing network`);
      if ((labels[L.network] ?? '') !== key) {
        throw new StatusError(`network ${n.name} was found but has incorrect label ${L.network} set to ${JSON.stringify(labels[L.network] ?? '')} (expected: ${JSON.stringify(key)})`, 1);
      }
      const hash = labels[L.hash] ?? '';
      if (hash === '' || hash === expected) continue;
      // removeDivergedNetwork
      const on = Object.keys(p.services).filter((svc) => Object.prototype.hasOwnProperty.call(p.services[svc].networks ?? {}, key));
      await stopServices(engine, p, on, pr, timeout);
      dangled = await projectContainers(engine, p.name, { all: true, services: on.length ? on : undefined });
      for (const c of dangled) await engine.json({ method: 'POST', path: `/networks/${encodeURIComponent(n.name)}/disconnect`, body: { Container: c.Id, Force: true } });
      await engine.json({ method: 'DELETE', path: `/networks/${encodeURIComponent(n.name)}` });
      pr.event({ kind: 'Network', name: n.name, status: 'Removed', done: true });
    } else if (found) continue;
    pr.event({ kind: 'Network', name: n.name, status: 'Creating' });
    await engine.json({
      method: 'POST',
      path: '/networks/create',
      body: {
        Name: n.name,
        CheckDuplicate: true,
        Driver: n.driver,
        Options: n.driver_opts,
        Internal: !!n.internal,
        Attachable: !!n.attachable,
        EnableIPv6: !!n.enable_ipv6,
        IPAM: n.ipam ? { Driver: n.ipam.driver, Config: (n.ipam.config ?? []).map((c: any) => ({ Subnet: c.subnet, IPRange: c.ip_range, Gateway: c.gateway })) } : undefined,
        Labels: resourceLabels(p, L.network, key, n.labels, expected),
      },
    });
    pr.event({ kind: 'Network', name: n.name, status: 'Created', done: true });
    for (const c of dangled) await engine.json({ method: 'POST', path: `/networks/${encodeURIComponent(n.name)}/connect`, body: { Container: c.Id } });
  }
}

/**
 * v2's Pipe prompt (stdin not a terminal): the question on stdout with no newline, one line read, and
 * utils.StringToBool of its first word (y, 1, t, true... any case; nothing or EOF is no). On a terminal
 * survey's Confirm line, `? <question> (y/N) `, with the same reading of the answer.
 */
async function composeConfirm(ctx: ComposeContext, question: string): Promise<boolean> {
  const { readLine } = await import('../../stream/prompt.js');
  const line = await readLine(ctx.cli, undefined, ctx.cli.in.isTTY ? `? ${question} (y/N) ` : question);
  const word = (line.trim().split(/\s+/)[0] ?? '').toLowerCase();
  return word === 'y' || ['1', 't', 'true'].includes(word);
}

/**
 * ensureVolume as v2's: an existing volume is kept (with v2's warnings when compose did not make it
 * for this project); one whose config-hash label diverged is recreated once confirmed (`-y`, or a yes to
 * v2's question): the containers of the services mounting it are stopped and removed, the volume
 * removed and created again.
 */
async function ensureVolumes(ctx: ComposeContext, engine: Engine, p: Project, services: string[], pr: Progress, o: Record<string, any>): Promise<void> {
  const used = new Set<string>();
  for (const s of services) for (const v of (p.services[s].volumes ?? []) as any[]) if (v.type === 'volume' && v.source) used.add(v.source);
  for (const key of Object.keys(p.volumes)) {
    if (!used.has(key)) continue;
    const v = p.volumes[key];
    const found = await exists(engine, `/volumes/${encodeURIComponent(v.name)}`);
    if (v.external) {
      if (!found) throw new StatusError(`external volume "${v.name}" not found`, 1);
      continue;
    }
    const expected = volumeHash(v);
    if (found) {
      const labels = (found.Labels ?? {}) as Record<string, string>;
      const owner = labels[L.project];
      if (owner === undefined) ctx.warn(`volume ${JSON.stringify(v.name)} already exists but was not created by Docker Compose. Use \`external: true\` to use an existing volume`);
      else if (owner !== p.name) ctx.warn(`volume ${JSON.stringify(v.name)} already exists but was created for project ${JSON.stringify(owner)} (expected ${JSON.stringify(p.name)}). Use \`external: true\` to use an existing volume`);
      const actual = labels[L.hash];
      if (actual === undefined || actual === expected) continue;
      const yes = !!o.yes || (await composeConfirm(ctx, `Volume ${JSON.stringify(v.name)} exists but doesn't match configuration in compose file. Recreate (data will be lost)?`));
      if (!yes) continue;
      // removeDivergedVolume
      const on = Object.keys(p.services).filter((svc) => ((p.services[svc].volumes ?? []) as any[]).some((m) => m.source === key));
      await stopServices(engine, p, on, pr, o.timeout);
      const mounted = await projectContainers(engine, p.name, { all: true, services: on.length ? on : undefined });
      await Promise.all(mounted.map(async (c) => {
        pr.event({ kind: 'Container', name: name(c), status: 'Removing' });
        await engine.json({ method: 'DELETE', path: `/containers/${c.Id}` });
        pr.event({ kind: 'Container', name: name(c), status: 'Removed', done: true });
      }));
      await engine.json({ method: 'DELETE', path: `/volumes/${encodeURIComponent(v.name)}`, query: { force: '1' } });
    }
    pr.event({ kind: 'Volume', name: v.name, status: 'Creating' });
    await engine.json({
      method: 'POST',
      path: '/volumes/create',
      body: { Name: v.name, Driver: v.driver, DriverOpts: v.driver_opts, Labels: resourceLabels(p, L.volume, key, v.labels, expected) },
    });
    pr.event({ kind: 'Volume', name: v.name, status: 'Created', done: true });
  }
}

/** The local image's ID (the com.docker.compose.image label), or '' when there is none (the create then fails as the engine says). */
async function imageId(engine: Engine, ref: string): Promise<string> {
  const img = await exists(engine, `/images/${encodeURIComponent(ref)}/json`);
  return img ? (img.Id as string) : '';
}

async function createContainer(engine: Engine, p: Project, svc: string, n: number, img: string, inherit?: Record<string, string>, x: CreateExtras & { as?: string } = {}): Promise<string> {
  const s = p.services[svc];
  const cname = x.as ?? containerName(p, s, n);
  const body = createBody(p, s, n, img, false, x);
  // a recreated container keeps the anonymous volumes of the one it replaces (unless -V)
  const mounts = ((body.HostConfig as any).Mounts ?? []) as { Type: string; Source: string; Target: string }[];
  for (const m of mounts) if (m.Type === 'volume' && !m.Source && inherit?.[m.Target]) m.Source = inherit[m.Target];
  const r = await engine.json<{ Id: string }>({ method: 'POST', path: '/containers/create', query: { name: cname }, body });
  for (const net of extraNetworks(p, s, n)) {
    await engine.json({ method: 'POST', path: `/networks/${encodeURIComponent(net.name)}/connect`, body: { Container: r.Id, EndpointConfig: { Aliases: net.aliases } } });
  }
  return r.Id;
}

async function waitCondition(engine: Engine, p: Project, dep: string, condition: string): Promise<void> {
  const list = await projectContainers(engine, p.name, { all: true, services: [dep] });
  for (const c of list) {
    while (true) {
      const i = await engine.json<any>({ path: `/containers/${c.Id}/json` });
      if (condition === 'service_healthy') {
        const h = i.State.Health?.Status;
        if (!i.State.Health) throw new StatusError(`container ${name(c)} has no healthcheck configured`, 1);
        if (h === 'healthy') break;
        if (h === 'unhealthy') throw new StatusError(`dependency failed to start: container ${name(c)} is unhealthy`, 1);
        if (!i.State.Running) throw new StatusError(`dependency failed to start: container ${name(c)} exited (${i.State.ExitCode})`, 1);
      } else if (condition === 'service_completed_successfully') {
        if (!i.State.Running && i.State.Status !== 'created') {
          if (i.State.ExitCode !== 0) throw new StatusError(`service "${dep}" didn't complete successfully: exit ${i.State.ExitCode}`, 1);
          break;
        }
      } else break;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * ensureImagesExists: pull what the pull policy asks for (--pull overrides pull_policy; --build makes
 * it `build` for services with a build section), then build what has a build section and no image
 * (or policy build); a failed pull is forgiven when the image can be built.
 */
async function ensureImages(ctx: ComposeContext, engine: Engine, p: Project, services: string[], pr: Progress, o: Record<string, any>): Promise<void> {
  const override = o.pull && o.pull !== 'policy' ? String(o.pull) : undefined;
  const policyOf = (svc: string): string | undefined => (o.build && p.services[svc].build ? 'build' : override);
  const local = new Map<string, any>();
  for (const svc of services) {
    const ref = imageOf(p, p.services[svc]);
    if (!local.has(ref)) local.set(ref, await exists(engine, `/images/${encodeURIComponent(ref)}/json`));
  }
  const toPull = services.filter((svc) => mustPull(p.services[svc], local.get(imageOf(p, p.services[svc])), policyOf(svc)));
  await Promise.all(toPull.map(async (svc) => {
    const s = p.services[svc];
    try {
      local.set(s.image as string, { Id: await pullServiceImage(ctx, engine, s, pr, !!o.quietPull) });
    } catch (e) {
      if (!s.build) throw e;
    }
  }));
  if (o.noBuild) return;
  const toBuild = services.filter((svc) => {
    const s = p.services[svc];
    return s.build && (!local.get(imageOf(p, s)) || (policyOf(svc) ?? s.pull_policy) === 'build');
  });
  if (toBuild.length) {
    const { buildServices } = await import('./more.js');
    await buildServices(ctx, p, toBuild, { quiet: o.quietBuild }, pr);
  }
}

export async function runUp(ctx: ComposeContext, o: Record<string, any>, args: string[]): Promise<void> {
  if (o.forceRecreate && o.noRecreate) throw new StatusError('--force-recreate and --no-recreate are incompatible', 1);
  if (o.pull !== undefined && o.pull !== 'policy' && !['always', 'never', 'build', 'missing', 'if_not_present'].includes(o.pull)) throw new StatusError(`invalid --pull option "${o.pull}"`, 1);
  const p = ctx.project(args);
  for (const sc of (o.scale ?? []) as string[]) {
    const [svc, num] = sc.split('=');
    if (!p.services[svc]) throw new StatusError(`no such service: ${svc}`, 1);
    if (!/^\d+$/.test(num ?? '')) throw new StatusError(`invalid --scale value: ${sc}`, 1);
    p.services[svc].scale = Number(num);
  }
  const services = selectServices(p, args, o.noDeps);
  const engine = await ctx.engine();
  const pr = progress(ctx);

  if (o.build && o.noBuild) throw new StatusError('--build and --no-build are incompatible', 1);
  await ensureImages(ctx, engine, p, services, pr, o);
  await ensureNetworks(ctx, engine, p, services, pr, o.timeout);
  await ensureVolumes(ctx, engine, p, services, pr, o);

  // the observed state, once networks and volumes are converged (a diverged one stops or removes containers)
  const all = await projectContainers(engine, p.name, { all: true });
  const orphans = all.filter((c) => !p.services[c.Labels[L.service]] && !p.disabled[c.Labels[L.service]]);
  if (orphans.length && !o.removeOrphans) {
    ctx.warn(`Found orphan containers ([${orphans.map(name).join(' ')}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`);
  }
  for (const c of o.removeOrphans ? orphans : []) {
    pr.event({ kind: 'Container', name: name(c), status: 'Removing' });
    await engine.json({ method: 'DELETE', path: `/containers/${c.Id}`, query: { force: '1' } });
    pr.event({ kind: 'Container', name: name(c), status: 'Removed', done: true });
  }


  // create (or keep, or recreate) every container, dependencies first, independent services in parallel
  const toStart = new Map<string, string[]>();
  // the containers of each service once converged: `service:NAME` references hash as container:<ID> of the first
  const current = new Map<string, { id: string; name: string }[]>();
  const containerOf = (svc: string): string | undefined => [...(current.get(svc) ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1))[0]?.id;
  await inDependencyOrder(p, services, async (svc) => {
    const s = p.services[svc];
    const img = await imageId(engine, imageOf(p, s));
    const hash = upServiceHash(s, containerOf);
    const scale = Number(s.scale ?? 1);
    const existing = all.filter((c) => c.Labels[L.service] === svc);
    const ids: string[] = [];
    const conv: { id: string; name: string }[] = [];
    for (const c of existing) {
      const n = Number(c.Labels[L.number] ?? 0);
      if (n > scale) {
        pr.event({ kind: 'Container', name: name(c), status: 'Stopping' });
        await engine.json({ method: 'DELETE', path: `/containers/${c.Id}`, query: { force: '1' } });
        pr.event({ kind: 'Container', name: name(c), status: 'Removed', done: true });
        continue;
      }
      const diverged = c.Labels[L.hash] !== hash || c.Labels[L.image] !== img;
      if ((diverged && !o.noRecreate) || o.forceRecreate) {
        // as v2's recreateContainer: create `<old id12>_<name>` (labelled replace=<service>-<n>), stop and remove the old one, rename
        pr.event({ kind: 'Container', name: name(c), status: 'Recreate' });
        const old = await engine.json<any>({ path: `/containers/${c.Id}/json` });
        const inherit: Record<string, string> = {};
        if (!o.renewAnonVolumes) for (const m of old.Mounts ?? []) if (m.Type === 'volume' && m.Name) inherit[m.Destination] = m.Name;
        const final = containerName(p, s, n);
        const tmp = `${c.Id.slice(0, 12)}_${final}`;
        const replace = (s.container_name as string | undefined) ?? `${svc}-${n}`;
        const id = await createContainer(engine, p, svc, n, img, inherit, { as: tmp, replace, containerOf });
        if (c.State === 'running' || c.State === 'paused' || c.State === 'restarting') await engine.json({ method: 'POST', path: `/containers/${c.Id}/stop`, query: { t: o.timeout } });
        await engine.json({ method: 'DELETE', path: `/containers/${c.Id}`, query: { force: '1', v: o.renewAnonVolumes ? '1' : undefined } });
        if (o.renewAnonVolumes) await removeAnonymous(engine, old.Mounts);
        await engine.json({ method: 'POST', path: `/containers/${id}/rename`, query: { name: final } });
        ids.push(id);
        conv.push({ id, name: final });
        pr.event({ kind: 'Container', name: name(c), status: 'Recreated', done: true });
      } else {
        if (c.State === 'running') pr.event({ kind: 'Container', name: name(c), status: 'Running', done: true });
        else ids.push(c.Id);
        conv.push({ id: c.Id, name: name(c) });
      }
    }
    const numbers = new Set(existing.map((c) => Number(c.Labels[L.number] ?? 0)));
    for (let n = 1; n <= scale; n++) {
      if (numbers.has(n)) continue;
      const cname = containerName(p, s, n);
      pr.event({ kind: 'Container', name: cname, status: 'Creating' });
      const id = await createContainer(engine, p, svc, n, img, undefined, { containerOf });
      ids.push(id);
      conv.push({ id, name: cname });
      pr.event({ kind: 'Container', name: cname, status: 'Created', done: true });
    }
    current.set(svc, conv);
    toStart.set(svc, ids);
  });
  if (o.noStart) return;

  await inDependencyOrder(p, services, async (svc) => {
    for (const [dep, c] of Object.entries(p.services[svc].depends_on ?? {})) {
      if (services.includes(dep) && c.condition !== 'service_started') {
        pr.event({ kind: 'Container', name: containerName(p, p.services[dep], 1), status: 'Waiting' });
        await waitCondition(engine, p, dep, c.condition);
        pr.event({ kind: 'Container', name: containerName(p, p.services[dep], 1), status: c.condition === 'service_healthy' ? 'Healthy' : 'Exited', done: true });
      }
    }
    await Promise.all((toStart.get(svc) ?? []).map(async (id) => {
      const i = await engine.json<any>({ path: `/containers/${id}/json` });
      const cname = String(i.Name).replace(/^\//, '');
      pr.event({ kind: 'Container', name: cname, status: 'Starting' });
      await engine.json({ method: 'POST', path: `/containers/${id}/start` });
      pr.event({ kind: 'Container', name: cname, status: 'Started', done: true });
    }));
  });
  if (o.wait) {
    const deadline = o.waitTimeout ? Date.now() + o.waitTimeout * 1000 : Infinity;
    await Promise.all(services.map(async (svc) => {
      const hc = p.services[svc].healthcheck as Record<string, any> | undefined;
      const cond = hc && !hc.disable ? 'service_healthy' : 'service_started';
      pr.event({ kind: 'Container', name: containerName(p, p.services[svc], 1), status: 'Waiting' });
      const timer = new Promise<never>((_, rej) => {
        if (deadline !== Infinity) setTimeout(() => rej(new StatusError('timeout waiting for project to be running|healthy', 1)), deadline - Date.now()).unref();
      });
      await Promise.race([waitCondition(engine, p, svc, cond), timer]);
      pr.event({ kind: 'Container', name: containerName(p, p.services[svc], 1), status: cond === 'service_healthy' ? 'Healthy' : 'Running', done: true });
    }));
    return;
  }
  // a dry run attaches to nothing (compose's DryRunClient refuses to attach)
  if (o.detach || ctx.dryRun) return;
  await attached(ctx, engine, p.name, services, o);
}

/** Attached `up`: every service's output behind its prefix until the containers stop; Ctrl-C stops them gracefully, a second forces. */
async function attached(ctx: ComposeContext, engine: Engine, project: string, services: string[], o: Record<string, any>): Promise<void> {
  const attach: string[] = o.attach?.length ? o.attach : services.filter((s) => !(o.noAttach ?? []).includes(s));
  const list = await projectContainers(engine, project, { all: true, services });
  const shown = list.filter((c) => attach.includes(c.Labels[L.service]));
  const abort = !!o.abortOnContainerExit || !!o.exitCodeFrom;
  const abortOnFailure = !!o.abortOnContainerFailure;
  if (abort && abortOnFailure) throw new StatusError('--abort-on-container-failure cannot be combined with --abort-on-container-exit or --exit-code-from', 1);
  if (o.exitCodeFrom && !services.includes(o.exitCodeFrom)) throw new StatusError(`exit-code-from: no such service: ${o.exitCodeFrom}`, 1);
  ctx.cli.print(`Attaching to ${shown.map((c) => name(c).replace(`${project}-`, '')).join(', ')}\n`);
  const each = new Map<string, Promise<void>>();
  const logs = streamLogs(ctx, engine, shown, { follow: true, noColor: o.noColor, noLogPrefix: o.noLogPrefix, tail: 'all', timestamps: o.timestamps }, each);
  let stopping = 0;
  const stopAll = async (kill: boolean): Promise<void> => {
    const pr = progress(ctx);
    await Promise.all(list.map(async (c) => {
      pr.event({ kind: 'Container', name: name(c), status: kill ? 'Killing' : 'Stopping' });
      await engine.json({ method: 'POST', path: `/containers/${c.Id}/${kill ? 'kill' : 'stop'}`, query: kill ? undefined : { t: o.timeout }, okStatus: [304, 409] }).catch(() => undefined);
      pr.event({ kind: 'Container', name: name(c), status: kill ? 'Killed' : 'Stopped', done: true });
    }));
  };
  const { onTermination } = await import('../../stream/terminal.js');
  let stopped: Promise<void> | undefined;
  const undo = onTermination(() => {
    stopping++;
    if (stopping === 1) {
      ctx.cli.print('Gracefully Stopping... press Ctrl+C again to force\n');
      stopped = stopAll(false);
    } else stopped = stopAll(true);
  });
  try {
    const codes = new Map<string, number>();
    const waits = list.map(async (c) => {
      const w = await engine.json<{ StatusCode: number }>({ method: 'POST', path: `/containers/${c.Id}/wait` });
      codes.set(c.Labels[L.service], w.StatusCode);
      // the container's last lines come before its exit line
      for (let i = 0; i < 50 && !each.has(c.Id); i++) await new Promise((r) => setTimeout(r, 10));
      await each.get(c.Id)?.catch(() => undefined);
      if (attach.includes(c.Labels[L.service])) ctx.cli.print(`${name(c).replace(`${project}-`, '')} exited with code ${w.StatusCode}\n`);
      return c;
    });
    // an abort (unless Ctrl-C already stops them) stops every container gracefully; then all exits and logs are drained
    const abortAndDrain = async (abortNow: boolean): Promise<void> => {
      if (abortNow && !stopping) {
        // v2 prints it on its status stream (stderr, or stdout with COMPOSE_STATUS_STDOUT) in progress.ErrorColor
        // (bold red: not dropped without a terminal or with --ansi never, only by NO_COLOR)
        const text = ctx.cli.env.NO_COLOR ? 'Aborting on container exit...' : '\x1b[31;1mAborting on container exit...\x1b[0m';
        if (/^(1|t|T|TRUE|true|True)$/.test(ctx.cli.env.COMPOSE_STATUS_STDOUT ?? '')) ctx.cli.print(`${text}\n`);
        else ctx.cli.warn(`${text}\n`);
        stopping = 1;
        stopped = stopAll(false);
      }
      await stopped;
      await Promise.all(waits);
      await logs;
    };
    if (abortOnFailure) {
      // the first container to exit with a failure stops the others; its status is up's
      const failed = new Promise<Summary | undefined>((resolve) => {
        let left = waits.length;
        for (const w of waits) {
          void w.then((c) => {
            if ((codes.get(c.Labels[L.service]) ?? 0) !== 0) resolve(c);
            if (--left === 0) resolve(undefined);
          });
        }
      });
      const bad = await failed;
      await abortAndDrain(!!bad);
      const code = bad ? codes.get(bad.Labels[L.service]) ?? 0 : 0;
      if (code !== 0) throw new SilentError(code);
      if (stopping) throw new SilentError(130);
      return;
    }
    if (abort) {
      const first = await Promise.race(waits);
      await abortAndDrain(true);
      const code = o.exitCodeFrom ? codes.get(o.exitCodeFrom) ?? 0 : codes.get(first.Labels[L.service]) ?? 0;
      if (code !== 0) throw new SilentError(code);
      return;
    }
    await Promise.all(waits);
    await stopped;
    await logs;
    if (stopping) throw new SilentError(130);
  } finally {
    undo();
  }
}

/** Anonymous volumes a recreated container inherited (named by their ID, so the engine's v=1 keeps them). */
async function removeAnonymous(engine: Engine, mounts: { Type: string; Name?: string }[] | undefined): Promise<void> {
  for (const m of mounts ?? []) {
    if (m.Type !== 'volume' || !m.Name || !/^[0-9a-f]{64}$/.test(m.Name)) continue;
    const v = await exists(engine, `/volumes/${m.Name}`);
    if (v && !v.Labels?.[L.project] && !v.Labels?.[L.volume]) {
      await engine.json({ method: 'DELETE', path: `/volumes/${m.Name}` }).catch(() => undefined);
    }
  }
}

export async function runDown(ctx: ComposeContext, o: Record<string, any>, args: string[]): Promise<void> {
  if (o.rmi && o.rmi !== 'local' && o.rmi !== 'all') throw new StatusError(`invalid value for --rmi: ${JSON.stringify(o.rmi)}`, 1);
  let p: Project | undefined;
  let projectName: string;
  try {
    p = ctx.project();
    projectName = p.name;
  } catch (e) {
    const n = ctx.g.projectName || ctx.cli.env.COMPOSE_PROJECT_NAME;
    if (!(e instanceof ComposeError) || !n || !e.message.startsWith('no configuration file')) throw e;
    projectName = n;
  }
  const engine = await ctx.engine();
  const pr = progress(ctx);
  const all = await projectContainers(engine, projectName, { all: true, oneoff: true });
  const known = (c: Summary): boolean => !p || !!p.services[c.Labels[L.service]] || !!p.disabled[c.Labels[L.service]];
  const targets = all.filter((c) => (args.length ? args.includes(c.Labels[L.service]) : known(c) || o.removeOrphans));
  if (!o.removeOrphans && p && !args.length) {
    const orphans = all.filter((c) => !known(c));
    if (orphans.length) ctx.warn(`Found orphan containers ([${orphans.map(name).join(' ')}]) for this project. If you removed or renamed this service in your compose file, you can run this command with the --remove-orphans flag to clean it up.`);
  }
  const remove = async (c: Summary): Promise<void> => {
    if (c.State === 'running' || c.State === 'paused' || c.State === 'restarting') {
      pr.event({ kind: 'Container', name: name(c), status: 'Stopping' });
      await engine.json({ method: 'POST', path: `/containers/${c.Id}/stop`, query: { t: o.timeout } });
      pr.event({ kind: 'Container', name: name(c), status: 'Stopped' });
    }
    pr.event({ kind: 'Container', name: name(c), status: 'Removing' });
    const mounts = o.volumes ? (await engine.json<any>({ path: `/containers/${c.Id}/json` })).Mounts : [];
    await engine.json({ method: 'DELETE', path: `/containers/${c.Id}`, query: { v: o.volumes ? '1' : undefined, force: '1' } });
    if (o.volumes) await removeAnonymous(engine, mounts);
    pr.event({ kind: 'Container', name: name(c), status: 'Removed', done: true });
  };
  if (p) {
    // dependents first: reverse dependency order, independent services in parallel
    const services = [...new Set(targets.map((c) => c.Labels[L.service]).filter((s) => p!.services[s]))];
    await inDependencyOrder(p, services, async (svc) => {
      await Promise.all(targets.filter((c) => c.Labels[L.service] === svc).map(remove));
    }, true);
    await Promise.all(targets.filter((c) => !p!.services[c.Labels[L.service]]).map(remove));
  } else await Promise.all(targets.map(remove));
  if (args.length) return;
  if (o.rmi && p) {
    const images = new Set<string>();
    for (const s of Object.values(p.services)) if (o.rmi === 'all' || !s.image) images.add(imageOf(p, s));
    for (const img of images) {
      if (!(await exists(engine, `/images/${encodeURIComponent(img)}/json`))) continue;
      pr.event({ kind: 'Image', name: img, status: 'Removing' });
      await engine.json({ method: 'DELETE', path: `/images/${encodeURIComponent(img)}` });
      pr.event({ kind: 'Image', name: img, status: 'Removed', done: true });
    }
  }
  const nets = await engine.json<{ Name: string; Id: string }[]>({ path: '/networks', query: { filters: JSON.stringify({ label: [`${L.project}=${projectName}`] }) } });
  for (const n of nets) {
    pr.event({ kind: 'Network', name: n.Name, status: 'Removing' });
    await engine.json({ method: 'DELETE', path: `/networks/${n.Id}` });
    pr.event({ kind: 'Network', name: n.Name, status: 'Removed', done: true });
  }
  if (o.volumes) {
    const vols = await engine.json<{ Volumes: { Name: string }[] | null }>({ path: '/volumes', query: { filters: JSON.stringify({ label: [`${L.project}=${projectName}`] }) } });
    for (const v of vols.Volumes ?? []) {
      pr.event({ kind: 'Volume', name: v.Name, status: 'Removing' });
      await engine.json({ method: 'DELETE', path: `/volumes/${encodeURIComponent(v.Name)}` });
      pr.event({ kind: 'Volume', name: v.Name, status: 'Removed', done: true });
    }
  }
}

/** `compose ps`: backend.Ps's summaries (each container inspected for health and exit code), formatted by compose's ContainerContext. */
export async function runPs(ctx: ComposeContext, o: Record<string, any>, args: string[]): Promise<void> {
  let p: Project | undefined;
  try {
    p = ctx.project(args);
  } catch (e) {
    if (!(e instanceof ComposeError) || !(ctx.g.projectName || ctx.cli.env.COMPOSE_PROJECT_NAME)) throw e;
  }
  const pname = p?.name ?? ctx.projectName();
  let services = args;
  if (p) {
    if (args.length) for (const a of args) if (!p.services[a]) throw new StatusError(`no such service: ${a}`, 1);
    else if (o.orphans === false) services = Object.keys(p.services);
  }
  const statuses: string[] = [...(o.status ?? [])];
  if (o.filter) {
    const [k, v] = String(o.filter).split('=');
    if (k !== 'status') throw new StatusError(`unknown filter ${k}`, 1);
    statuses.push(v);
  }
  const all = !!o.all || statuses.length > 0;
  const engine = await ctx.engine();
  let list = await projectContainers(engine, pname, { all, oneoff: all, services });
  if (statuses.length) list = list.filter((c) => statuses.includes(c.State));
  if (o.quiet) {
    for (const c of list) ctx.cli.print(`${c.Id}\n`);
    return;
  }
  if (o.services) {
    ctx.cli.print(`${[...new Set(list.map((c) => c.Labels[L.service]))].join('\n')}\n`);
    return;
  }
  const rows = await Promise.all(list.map(async (c): Promise<ComposeSummary> => {
    const i = await engine.json<any>({ path: `/containers/${c.Id}/json` });
    const mounts = ((c as any).Mounts ?? []) as { Name?: string; Source?: string; Driver?: string }[];
    return {
      ID: c.Id, Name: name(c), Names: c.Names, Image: c.Image, Command: c.Command, Project: c.Labels[L.project], Service: c.Labels[L.service],
      Created: c.Created, State: c.State, Status: c.Status,
      Health: i.State?.Status === 'running' ? i.State?.Health?.Status ?? '' : '',
      ExitCode: i.State?.Status === 'exited' || i.State?.Status === 'dead' ? i.State.ExitCode : 0,
      Publishers: [...c.Ports].sort((a, b) => a.PrivatePort - b.PrivatePort).map((x) => ({ URL: x.IP ?? '', TargetPort: x.PrivatePort, PublishedPort: x.PublicPort ?? 0, Protocol: x.Type })),
      Labels: c.Labels, Mounts: mounts.map((m) => m.Name || m.Source || ''), LocalVolumes: mounts.filter((m) => m.Driver === 'local').length,
      Networks: Object.keys((c as any).NetworkSettings?.Networks ?? {}),
    };
  }));
  const format = String(o.format || ctx.cli.config.file.psFormat || 'table');
  try {
    ctx.cli.print(renderList(format, rows.map((r) => composePsContext(r, !o.noTrunc)), COMPOSE_PS_FORMAT));
  } catch (e) {
    if (e instanceof FormatParseError || e instanceof FormatExecError) throw new StatusError(formatErrorText(e), 1);
    throw e;
  }
}

interface LogOptions {
  follow?: boolean;
  noColor?: boolean;
  noLogPrefix?: boolean;
  tail?: string;
  timestamps?: boolean;
  since?: string;
  until?: string;
}

async function streamLogs(ctx: ComposeContext, engine: Engine, list: Summary[], o: LogOptions, each?: Map<string, Promise<void>>): Promise<void> {
  const color = !o.noColor && !ctx.cli.env.NO_COLOR && ctx.cli.out.isTTY && ctx.g.ansi !== 'never';
  const names = list.map((c) => name(c).replace(new RegExp(`^${c.Labels[L.project]}-`), ''));
  const prefix = logPrefixer(names, color);
  // timetypes.GetTimestamp, as docker's client sends since/until (validated before any request)
  const since = o.since ? timestampArg(o.since) : undefined;
  const until = o.until ? timestampArg(o.until, Date.now(), 'until') : undefined;
  await Promise.all(list.map((c, i) => {
    const pr = one(c, i);
    each?.set(c.Id, pr);
    return pr;
  }));
  async function one(c: Summary, i: number): Promise<void> {
    const info = await engine.json<any>({ path: `/containers/${c.Id}/json` });
    const res = await engine.stream({
      path: `/containers/${c.Id}/logs`,
      query: { stdout: '1', stderr: '1', follow: o.follow ? '1' : undefined, tail: o.tail ?? 'all', timestamps: o.timestamps ? '1' : undefined, since, until },
    });
    const pre = o.noLogPrefix ? '' : prefix(names[i]);
    let pending = { 1: '', 2: '' } as Record<number, string>;
    const emit = (stream: number, text: string): void => {
      const all = pending[stream] + text;
      const lines = all.split('\n');
      pending[stream] = lines.pop()!;
      const out = stream === 2 ? ctx.cli.err.stream : ctx.cli.out.stream;
      if (lines.length) out.write(lines.map((l) => pre + l + '\n').join(''));
    };
    let buf = Buffer.alloc(0);
    for await (const chunk of res as AsyncIterable<Buffer>) {
      if (info.Config.Tty) {
        emit(1, chunk.toString());
        continue;
      }
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 8) {
        const size = buf.readUInt32BE(4);
        if (buf.length < 8 + size) break;
        emit(buf[0] === 2 ? 2 : 1, buf.subarray(8, 8 + size).toString());
        buf = buf.subarray(8 + size);
      }
    }
    for (const s of [1, 2]) if (pending[s]) emit(s, '\n');
    pending = { 1: '', 2: '' };
  }
}

export async function runLogs(ctx: ComposeContext, o: Record<string, any>, args: string[]): Promise<void> {
  const pname = ctx.projectName();
  const engine = await ctx.engine();
  const list = await projectContainers(engine, pname, { all: true, services: args });
  await streamLogs(ctx, engine, list, o);
}

const PAST: Record<string, [string, string]> = {
  start: ['Starting', 'Started'],
  stop: ['Stopping', 'Stopped'],
  restart: ['Restarting', 'Started'],
  kill: ['Killing', 'Killed'],
  pause: ['Pausing', 'Paused'],
  unpause: ['Unpausing', 'Unpaused'],
  rm: ['Removing', 'Removed'],
};

export async function runLifecycle(ctx: ComposeContext, verb: string, o: Record<string, any>, args: string[]): Promise<void> {
  let p: Project | undefined;
  try {
    p = ctx.project(args);
  } catch (e) {
    if (!(e instanceof ComposeError) || !(ctx.g.projectName || ctx.cli.env.COMPOSE_PROJECT_NAME)) throw e;
  }
  if (p) for (const a of args) if (!p.services[a]) throw new StatusError(`no such service: ${a}`, 1);
  const pname = p?.name ?? ctx.projectName();
  const engine = await ctx.engine();
  const pr = progress(ctx);
  let list = await projectContainers(engine, pname, { all: true, services: args });
  if (verb === 'start') list = list.filter((c) => c.State !== 'running');
  if (verb === 'stop' || verb === 'kill' || verb === 'pause') list = list.filter((c) => c.State === 'running' || (verb === 'stop' && c.State === 'paused'));
  if (verb === 'unpause') list = list.filter((c) => c.State === 'paused');
  if (verb === 'rm') {
    list = list.filter((c) => o.stop || c.State !== 'running');
    if (list.length === 0) {
      ctx.cli.warn('No stopped containers\n');
      return;
    }
  }
  const act = async (c: Summary): Promise<void> => {
    const [ing, ed] = PAST[verb];
    pr.event({ kind: 'Container', name: name(c), status: ing });
    if (verb === 'rm') {
      if (o.stop && c.State === 'running') await engine.json({ method: 'POST', path: `/containers/${c.Id}/stop` });
      await engine.json({ method: 'DELETE', path: `/containers/${c.Id}`, query: { v: o.volumes ? '1' : undefined, force: '1' } });
    } else {
      const query: Record<string, unknown> = {};
      if ((verb === 'stop' || verb === 'restart') && o.timeout !== undefined) query.t = o.timeout;
      if (verb === 'kill') query.signal = o.signal;
      await engine.json({ method: 'POST', path: `/containers/${c.Id}/${verb}`, query, okStatus: [304] });
    }
    pr.event({ kind: 'Container', name: name(c), status: ed, done: true });
  };
  if (!p) {
    await Promise.all(list.map(act));
    return;
  }
  const services = [...new Set(list.map((c) => c.Labels[L.service]))].filter((s) => p!.services[s]);
  // start in dependency order, stop (and kill, rm) dependents first
  await inDependencyOrder(p, services, async (svc) => {
    await Promise.all(list.filter((c) => c.Labels[L.service] === svc).map(act));
  }, verb !== 'start' && verb !== 'unpause' && verb !== 'restart');
}

export async function runConfig(ctx: ComposeContext, o: Record<string, any>, args: string[]): Promise<void> {
  const format = o.format || 'yaml';
  if (format !== 'yaml' && format !== 'json') throw new StatusError(`unsupported format "${format}"`, 1);
  const p = ctx.project(args, { noInterpolate: !!o.noInterpolate, noNormalize: !!o.noNormalize, noPathResolution: !!o.noPathResolution, noConsistency: !!o.noConsistency });
  const print = (text: string): void => {
    if (o.output) writeFileSync(o.output, text);
    else ctx.cli.print(text);
  };
  if (args.length) for (const a of args) if (!p.services[a]) throw new StatusError(`no such service: ${a}`, 1);
  if (o.quiet) return;
  if (o.hash) {
    // runHash: the project as loaded WithoutEnvironmentResolution (env_file kept, unread), names sorted
    const hp = ctx.project(args, { noEnvResolution: true });
    const want = (o.hash === '*' ? Object.keys(hp.services) : String(o.hash).split(',')).sort();
    for (const n of want) {
      if (!hp.services[n]) throw new StatusError(`no such service: ${n}`, 1);
      ctx.cli.print(`${n} ${serviceHash(hp.services[n])}\n`);
    }
    return;
  }
  if (o.services) {
    for (const s of Object.keys(p.services)) ctx.cli.print(`${s}\n`);
    return;
  }
  if (o.volumes) {
    for (const v of Object.keys(p.volumes)) ctx.cli.print(`${v}\n`);
    return;
  }
  if (o.images) {
    for (const s of Object.values(p.services)) ctx.cli.print(`${imageOf(p, s)}\n`);
    return;
  }
  if (o.networks) {
    for (const n of Object.keys(p.networks)) ctx.cli.print(`${n}\n`);
    return;
  }
  if (o.profiles) {
    const all = new Set<string>();
    for (const s of [...Object.values(p.services), ...Object.values(p.disabled)]) for (const x of s.profiles ?? []) all.add(x);
    for (const x of [...all].sort()) ctx.cli.print(`${x}\n`);
    return;
  }
  const services: Record<string, unknown> = {};
  for (const n of Object.keys(p.services).sort()) {
    if (args.length && !args.includes(n)) continue;
    const s = { ...p.services[n] } as Record<string, unknown>;
    delete s.name;
    // config loads WithDiscardEnvFile: env_file and label_file, once read, are not printed
    delete s.env_file;
    delete s.label_file;
    services[n] = Object.fromEntries(Object.keys(s).sort().map((k) => [k, s[k]]));
  }
  const model: Record<string, unknown> = { name: p.name, services };
  for (const k of ['networks', 'volumes', 'secrets', 'configs'] as const) if (Object.keys(p[k]).length) model[k] = p[k];
  Object.assign(model, p.extensions);
  if (format === 'json') print(JSON.stringify(model, null, 2) + '\n');
  else print(stringify(model, { indent: 2, lineWidth: 0, nullStr: 'null' }));
}

export async function runWait(ctx: ComposeContext, o: Record<string, any>, args: string[]): Promise<void> {
  const p = ctx.project(args);
  for (const a of args) if (!p.services[a]) throw new StatusError(`no such service: ${a}`, 1);
  const engine = await ctx.engine();
  const list = await projectContainers(engine, p.name, { all: true, services: args });
  let first: number | undefined;
  const waits = list.map(async (c) => {
    const w = await engine.json<{ StatusCode: number }>({ method: 'POST', path: `/containers/${c.Id}/wait` });
    first ??= w.StatusCode;
    return w.StatusCode;
  });
  if (o.downProject) {
    await Promise.race(waits);
    await runDown(ctx, {}, []);
  } else await Promise.all(waits);
  if (first) throw new SilentError(first);
}

export async function runLs(ctx: ComposeContext, o: Record<string, any>): Promise<void> {
  const engine = await ctx.engine();
  const list = await engine.json<Summary[]>({ path: '/containers/json', query: { all: o.all ? '1' : undefined, filters: JSON.stringify({ label: [L.project] }) } });
  const projects = new Map<string, { states: Map<string, number>; files: Set<string> }>();
  for (const c of list) {
    const n = c.Labels[L.project];
    const e = projects.get(n) ?? { states: new Map(), files: new Set() };
    e.states.set(c.State, (e.states.get(c.State) ?? 0) + 1);
    if (c.Labels[L.configFiles]) e.files.add(c.Labels[L.configFiles]);
    projects.set(n, e);
  }
  const names = [...projects.keys()].sort();
  if (o.quiet) {
    for (const n of names) ctx.cli.print(`${n}\n`);
    return;
  }
  const status = (m: Map<string, number>): string => [...m.entries()].sort().map(([s, c]) => `${s}(${c})`).join(', ');
  if (o.format === 'json') {
    ctx.cli.print(JSON.stringify(names.map((n) => ({ Name: n, Status: status(projects.get(n)!.states), ConfigFiles: [...projects.get(n)!.files].join(',') }))) + '\n');
    return;
  }
  const { tabwrite } = await import('../../format/table.js');
  const text = ['NAME\tSTATUS\tCONFIG FILES', ...names.map((n) => `${n}\t${status(projects.get(n)!.states)}\t${[...projects.get(n)!.files].join(',')}`)].join('\n') + '\n';
  ctx.cli.print(tabwrite(text, { minwidth: 0, padding: 3 }));
}
