/** compose version, create, port, top, images, pull. */
import { StatusError } from '../../cli/errors.js';
import { tabwrite } from '../../format/table.js';
import { timeAgo, truncateId } from '../../format/humanize.js';
import { humanSize } from '../../go/units.js';
import { selectServices } from '../../compose/index.js';
import type { ComposeContext } from './index.js';
import { COMPOSE_VERSION, imageOf, L, name, projectContainers } from './project.js';
import { runUp } from './verbs.js';

export async function runVersion(ctx: ComposeContext, o: Record<string, any>): Promise<void> {
  if (o.short) ctx.cli.print(`${COMPOSE_VERSION}\n`);
  else if (o.format === 'json') ctx.cli.print(`{"version":"v${COMPOSE_VERSION}"}\n`);
  else ctx.cli.print(`Docker Compose version v${COMPOSE_VERSION}\n`);
}

export async function runCreate(ctx: ComposeContext, o: Record<string, any>, args: string[]): Promise<void> {
  await runUp(ctx, { ...o, noStart: true, detach: true }, args);
}

export async function runPort(ctx: ComposeContext, o: Record<string, any>, [service, port]: string[]): Promise<void> {
  if (port === undefined) throw ctx.usageError(`"${ctx.cli.name} compose port" requires 2 arguments`);
  const p = ctx.project([service]);
  if (!p.services[service]) throw new StatusError(`no such service: ${service}`, 1);
  const engine = await ctx.engine();
  const list = await projectContainers(engine, p.name, { services: [service] });
  const index = o.index || 1;
  const c = list.find((x) => Number(x.Labels[L.number]) === index);
  if (!c) throw new StatusError(`service "${service}" is not running container #${index}`, 1);
  const hit = c.Ports.find((x) => x.PrivatePort === Number(port) && x.Type === (o.protocol || 'tcp') && x.PublicPort);
  if (!hit) throw new StatusError(`no port ${port}/${o.protocol || 'tcp'} for container ${name(c)}: ${c.Ports.map((x) => `${x.PrivatePort}/${x.Type}`).join(', ')}`, 1);
  ctx.cli.print(`${hit.IP}:${hit.PublicPort}\n`);
}

export async function runTop(ctx: ComposeContext, _o: Record<string, any>, args: string[]): Promise<void> {
  const pname = ctx.projectName();
  const engine = await ctx.engine();
  const list = await projectContainers(engine, pname, { services: args });
  const header: string[] = ['SERVICE', '#'];
  const rows: Record<string, string>[] = [];
  for (const c of list) {
    const t = await engine.json<{ Titles: string[]; Processes: string[][] }>({ path: `/containers/${c.Id}/top` });
    for (const title of t.Titles) if (!header.includes(title)) header.push(title);
    for (const proc of t.Processes ?? []) {
      const r: Record<string, string> = { SERVICE: c.Labels[L.service], '#': c.Labels[L.number] ?? '' };
      t.Titles.forEach((title, i) => (r[title] = proc[i]));
      rows.push(r);
    }
  }
  if (rows.length === 0) return;
  const ci = header.indexOf('CMD');
  if (ci >= 0) {
    header.splice(ci, 1);
    header.push('CMD');
  }
  const text = [header.join('\t'), ...rows.map((r) => header.map((h) => r[h] ?? '-').join('\t'))].join('\n') + '\n';
  ctx.cli.print(tabwrite(text, { minwidth: 4, padding: 2 }));
}

export async function runImages(ctx: ComposeContext, o: Record<string, any>, args: string[]): Promise<void> {
  const pname = ctx.projectName();
  const engine = await ctx.engine();
  const list = await projectContainers(engine, pname, { all: true, services: args });
  const rows: string[][] = [];
  const json: unknown[] = [];
  for (const c of list) {
    const img = await engine.json<any>({ path: `/images/${encodeURIComponent(c.Labels[L.image] ?? c.Image)}/json` });
    const tag0: string = img.RepoTags?.find((t: string) => t.startsWith(c.Image.split(':')[0])) ?? img.RepoTags?.[0] ?? '';
    const i = tag0.lastIndexOf(':');
    const repo = tag0 ? tag0.slice(0, i) : '<none>';
    const tag = tag0 ? tag0.slice(i + 1) : '<none>';
    const platform = `${img.Os}/${img.Architecture}${img.Variant ? '/' + img.Variant : ''}`;
    if (o.quiet) {
      ctx.cli.print(`${img.Id}\n`);
      continue;
    }
    rows.push([name(c), repo, tag, platform, truncateId(img.Id), humanSize(img.Size), timeAgo(Date.parse(img.Created) / 1000)]);
    json.push({ ID: img.Id, ContainerName: name(c), Repository: repo, Tag: tag, Platform: platform, Size: img.Size, Created: img.Created, LastTagTime: img.Metadata?.LastTagTime });
  }
  if (o.quiet) return;
  if (o.format === 'json') {
    ctx.cli.print(JSON.stringify(json) + '\n');
    return;
  }
  rows.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const text = [['CONTAINER', 'REPOSITORY', 'TAG', 'PLATFORM', 'IMAGE ID', 'SIZE', 'CREATED'], ...rows].map((r) => r.join('\t')).join('\n') + '\n';
  ctx.cli.print(tabwrite(text, { minwidth: 0, padding: 3 }));
}

/**
 * Build the images of the services that have a `build:` section, dependencies first, as v2 does:
 * through BuildKit (src/commands/image/buildkit.ts) with buildx's plain progress on stdout, every
 * vertex prefixed `[service …]`, then a ` service  Built` event; with DOCKER_BUILDKIT=0 (or a
 * remote context) the classic builder between ` Service x  Building` and ` Service x  Built`.
 * Images are labelled with the project, service and version; tagged <project>-<service> (or image:)
 * plus build.tags.
 */
export async function buildServices(ctx: ComposeContext, p: import('../../compose/index.js').Project, services: string[], o: Record<string, any>, pr?: import('../../format/compose.js').Progress): Promise<void> {
  const { spec, runBuild } = await import('../image/build.js');
  const { runBuildKit, buildkitEnv, isLocalDir } = await import('../image/buildkit.js');
  const { FlagSet } = await import('../../cli/flags.js');
  const { inDependencyOrder } = await import('./project.js');
  const { progress } = await import('./verbs.js');
  const events = pr ?? progress(ctx);
  const buildkit = buildkitEnv(ctx.cli.env.DOCKER_BUILDKIT) !== false;
  const quiet = !!o.quiet || ctx.progressMode === 'quiet';
  const mode = buildProgress(ctx, quiet);
  // buildx's one printer for every service: on a terminal the live view (on stdout, `docker:default` in its header)
  let display: import('../../format/buildkit-tty.js').TtyDisplay | undefined;
  const { TtyDisplay } = await import('../../format/buildkit-tty.js');
  let described = false;
  const built: string[] = [];
  try {
    await inDependencyOrder(p, services.filter((n) => p.services[n].build), async (svc) => {
      const s = p.services[svc];
      const b = s.build as Record<string, any>;
      const opts = { ...(new FlagSet(spec.flags ?? []).defaults() as any) };
      opts.tag = [imageOf(p, s), ...((b.tags as string[]) ?? [])];
      opts.file = b.dockerfile ? (b.dockerfile.startsWith('/') ? b.dockerfile : `${b.context}/${b.dockerfile}`) : '';
      opts.buildArg = [
        ...Object.entries((b.args ?? {}) as Record<string, string | null>).map(([k, v]) => (v === null ? k : `${k}=${v}`)),
        ...((o.buildArg as string[]) ?? []),
      ];
      opts.label = [...Object.entries((b.labels ?? {}) as Record<string, string>).map(([k, v]) => `${k}=${v}`), `${L.version}=${COMPOSE_VERSION}`, `${L.project}=${p.name}`, `${L.service}=${svc}`];
      opts.noCache = !!(o.noCache || b.no_cache);
      opts.pull = !!(o.pull || b.pull);
      opts.target = b.target ?? '';
      opts.quiet = quiet;
      opts.addHost = ((b.extra_hosts as string[] | undefined) ?? []).map((h) => h.replace('=', ':'));
      opts.cacheFrom = (b.cache_from as string[] | undefined) ?? [];
      opts.platform = (s.platform as string | undefined) ?? '';
      if (b.network) opts.network = b.network;
      if (ctx.dryRun) {
        built.push(svc);
        return;
      }
      if (buildkit && isLocalDir(ctx.cli.cwd, b.context)) {
        if (mode === 'tty') {
          const out = ctx.cli.out;
          display ??= new TtyDisplay({ write: (t) => out.stream.write(t), size: () => ({ columns: out.columns, rows: out.rows }) }, 'Building', 'docker:default');
        } else if (mode === 'plain' && !described) {
          ctx.cli.out.stream.write('#0 building with "default" instance using docker driver\n\n');
          described = true;
        }
        await runBuildKit(ctx.cli, { ...opts, progress: mode, secret: [], vertexPrefix: svc, progressOut: ctx.cli.out.stream, onImageId: () => undefined, display }, b.context);
        built.push(svc);
        return;
      }
      events.event({ kind: 'Service', name: svc, status: 'Building' });
      await runBuild(ctx.cli, opts, [b.context]);
      events.event({ kind: 'Service', name: svc, status: 'Built', done: true });
    });
  } finally {
    display?.finish();
  }
  // BuildKit's services are announced once all are built (the classic builder's as they go)
  if (buildkit) for (const svc of services) if (built.includes(svc)) events.event({ kind: '', name: svc, status: 'Built', done: true });
}

/**
 * The progress mode of compose's builds (pkg/compose/build.go): compose's ui.Mode (`--ansi never` plain,
 * `always` tty, then --progress / COMPOSE_PROGRESS; json is buildx's rawjson), `auto` taking
 * BUILDKIT_PROGRESS, then buildx's auto: the live view when stdout is a terminal, plain lines otherwise.
 */
export function buildProgress(ctx: ComposeContext, quiet: boolean): string {
  if (quiet) return 'quiet';
  const env = ctx.cli.env;
  const ansi = ctx.g.ansi && ctx.g.ansi !== 'auto' ? ctx.g.ansi : env.COMPOSE_ANSI ?? 'auto';
  let mode = ansi === 'never' ? 'plain' : ansi === 'always' ? 'tty' : 'auto';
  const p = ctx.g.progress || env.COMPOSE_PROGRESS || '';
  if (p === 'tty' || p === 'plain') mode = p;
  else if (p === 'quiet' || p === 'none') mode = 'quiet';
  else if (p === 'json') mode = 'rawjson';
  if (mode === 'auto') mode = env.BUILDKIT_PROGRESS || 'auto';
  if (mode === 'auto') mode = ctx.cli.out.isTTY ? 'tty' : 'plain';
  return mode;
}

export async function runBuildVerb(ctx: ComposeContext, o: Record<string, any>, args: string[]): Promise<void> {
  const p = ctx.project(args);
  const services = selectServices(p, args, !o.withDependencies);
  await buildServices(ctx, p, services, o);
  if (o.push) {
    const { runPush } = await import('./registry.js');
    await runPush(ctx, { quiet: o.quiet }, services.filter((n) => p.services[n].build));
  }
}

/** `compose cp SERVICE:SRC DEST` / `compose cp SRC SERVICE:DEST`: container cp on the service's container. */
export async function runCpVerb(ctx: ComposeContext, o: Record<string, any>, [src, dst]: string[]): Promise<void> {
  if (dst === undefined) throw ctx.usageError(`"${ctx.cli.name} compose cp" requires 2 arguments`);
  const p = ctx.project();
  const engine = await ctx.engine();
  const resolve = async (arg: string): Promise<string> => {
    const i = arg.indexOf(':');
    if (i <= 0 || arg.startsWith('/') || arg.startsWith('.')) return arg;
    const svc = arg.slice(0, i);
    if (!p.services[svc]) throw new StatusError(`no such service: ${svc}`, 1);
    const list = await projectContainers(engine, p.name, { all: true, services: [svc] });
    const c = list.find((x) => Number(x.Labels[L.number]) === (o.index || 1));
    if (!c) throw new StatusError(`service "${svc}" is not running`, 1);
    return `${name(c)}${arg.slice(i)}`;
  };
  const { runCp } = await import('../container/cp.js');
  await runCp(ctx.cli, { archive: !!o.archive, followLink: !!o.followLink, quiet: true }, [await resolve(src), await resolve(dst)]);
}

function eventTime(ns: number): string {
  const d = new Date(Math.floor(ns / 1e6));
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const micro = String(Math.floor((ns % 1e9) / 1e3)).padStart(6, '0');
  return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${micro}`;
}

/** `compose events`: the project's container events, as compose prints them (or --json). */
export async function runEvents(ctx: ComposeContext, o: Record<string, any>, args: string[]): Promise<void> {
  const pname = ctx.projectName();
  const engine = await ctx.engine();
  const res = await engine.stream({
    path: '/events',
    query: { since: o.since || undefined, until: o.until || undefined, filters: JSON.stringify({ type: ['container'], label: [`${L.project}=${pname}`] }) },
  });
  let buf = '';
  for await (const chunk of res as AsyncIterable<Buffer>) {
    buf += chunk.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (!line.trim()) continue;
      const e = JSON.parse(line);
      const attrs = { ...(e.Actor?.Attributes ?? {}) } as Record<string, string>;
      const service = attrs[L.service];
      if (args.length && !args.includes(service)) continue;
      if (attrs[L.oneoff] === 'True') continue;
      for (const k of Object.keys(attrs)) if (k.startsWith('com.docker.compose.')) delete attrs[k];
      const status = String(e.Action ?? e.status);
      if (o.json) {
        ctx.cli.print(JSON.stringify({ action: status, attributes: attrs, id: e.Actor?.ID ?? e.id, service, time: new Date(Math.floor(e.timeNano / 1e6)).toISOString(), type: 'container' }) + '\n');
      } else {
        const list = Object.entries(attrs).map(([k, v]) => `${k}=${v}`).join(', ');
        ctx.cli.print(`${eventTime(e.timeNano)} container ${status} ${e.Actor?.ID ?? e.id} (${list})\n\n`);
      }
    }
  }
}
