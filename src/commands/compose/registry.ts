/**
 * Pulling and pushing service images as compose v2 does (pkg/compose/pull.go, push.go): one event
 * per service (` web Pulling `, ` web Pulled `), per-layer child events unless quiet, pull policies
 * (always, missing, never, build, daily, weekly, every_<duration>), push of the services that have
 * both `build` and `image`.
 */
import type { EngineClient as Engine } from '../../cli/engine-client.js';
import { StatusError } from '../../cli/errors.js';
import { authKey, encodeAuth, getAuth } from '../../engine/auth.js';
import { parseNormalized, familiarName } from '../../engine/refs.js';
import { progressBar } from '../../stream/progress.js';
import { parseDuration } from '../../cli/opts.js';
import { selectServices, type Project, type Service } from '../../compose/index.js';
import type { Progress } from '../../format/compose.js';
import type { ComposeContext } from './index.js';
import { progress } from './verbs.js';

interface JM {
  id?: string;
  status?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
}

async function* messages(res: AsyncIterable<Buffer | string>): AsyncGenerator<JM> {
  let buf = '';
  for await (const c of res) {
    buf += c.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (line) yield JSON.parse(line) as JM;
    }
  }
  if (buf.trim()) yield JSON.parse(buf) as JM;
}

const DONE_PHASES = ['Download complete', 'Already exists', 'Pull complete'];

/** The registry auth header for an image reference, from the CLI's config (as compose's encodedAuth). */
function registryAuth(ctx: ComposeContext, image: string): string {
  let domain = 'docker.io';
  try {
    domain = parseNormalized(image).domain;
  } catch {
    // an invalid reference fails at the engine with its own message
  }
  return encodeAuth(getAuth(ctx.cli, authKey(domain)));
}

/** pullServiceImage: Pulling, the layers' progress (unless quiet), Pulled; the image's ID. */
export async function pullServiceImage(ctx: ComposeContext, engine: Engine, s: Service, pr: Progress, quiet: boolean): Promise<string> {
  const image = s.image as string;
  pr.event({ kind: '', name: s.name, text: 'Pulling', status: '' });
  let ref;
  try {
    ref = parseNormalized(image);
  } catch (e) {
    throw new StatusError((e as Error).message, 1);
  }
  const fromImage = ref.tag || ref.digest ? image : `${image}:latest`;
  let res;
  try {
    res = await engine.stream({ method: 'POST', path: '/images/create', query: { fromImage, platform: (s.platform as string) || ctx.cli.env.DOCKER_DEFAULT_PLATFORM || undefined }, registryAuth: registryAuth(ctx, image) });
  } catch (e) {
    const msg = (e as Error).message;
    pr.event({ kind: '', name: s.name, text: s.build ? 'Warning' : 'Error', status: msg, done: true });
    throw e;
  }
  for await (const jm of messages(res as AsyncIterable<Buffer>)) {
    if (jm.error || jm.errorDetail) {
      const msg = jm.errorDetail?.message || jm.error || '';
      pr.event({ kind: '', name: s.name, text: s.build ? 'Warning' : 'Error', status: msg, done: true });
      throw new StatusError(msg, 1);
    }
    if (!quiet && jm.id && jm.progressDetail) {
      const done = DONE_PHASES.includes(jm.status ?? '') || /Image is up to date|Downloaded newer image/.test(jm.status ?? '');
      pr.event({ kind: '', name: jm.id, text: jm.status ?? '', status: progressBar(jm.progressDetail, 200), done });
    }
  }
  pr.event({ kind: '', name: s.name, text: 'Pulled', status: '', done: true });
  const img = await engine.json<{ Id: string }>({ path: `/images/${encodeURIComponent(image)}/json` });
  return img.Id;
}

/** GetPullPolicy's result for a service (the --pull option overrides pull_policy). */
export function pullPolicy(s: Service, override?: string): { policy: string; refreshMs: number } {
  const p = override || (s.pull_policy as string | undefined) || '';
  if (['always', 'never', 'missing', 'if_not_present', 'build'].includes(p)) return { policy: p === 'if_not_present' ? 'missing' : p, refreshMs: 0 };
  if (p === 'daily') return { policy: 'refresh', refreshMs: 86400e3 };
  if (p === 'weekly') return { policy: 'refresh', refreshMs: 7 * 86400e3 };
  if (p.startsWith('every_')) {
    let ns: number;
    try {
      ns = parseDuration(p.slice(6).replace(/(\d+)d/, (_, n) => `${Number(n) * 24}h`).replace(/(\d+)w/, (_, n) => `${Number(n) * 168}h`));
    } catch (e) {
      throw new StatusError((e as Error).message, 1);
    }
    return { policy: 'refresh', refreshMs: ns / 1e6 };
  }
  return { policy: 'missing', refreshMs: 0 };
}

/** mustPull: whether `up` pulls a service's image first, given the local image (or none). */
export function mustPull(s: Service, local: { Metadata?: { LastTagTime?: string } } | undefined, override?: string): boolean {
  if (!s.image) return false;
  const { policy, refreshMs } = pullPolicy(s, override);
  if (policy === 'always') return true;
  if (policy === 'never' || policy === 'build') return false;
  if (policy === 'refresh') {
    if (!local) return true;
    const t = Date.parse(local.Metadata?.LastTagTime ?? '');
    return Number.isNaN(t) || Date.now() > t + refreshMs;
  }
  return !local;
}

/** `compose pull`: the selected services' images (those with build: and no image are skipped). */
export async function runPull(ctx: ComposeContext, o: Record<string, any>, args: string[]): Promise<void> {
  const p = ctx.project(args);
  const services = selectServices(p, args, !o.includeDeps);
  const engine = await ctx.engine();
  const pr = o.quiet ? progressQuiet(ctx) : progress(ctx);
  if (o.policy && !['always', 'missing'].includes(o.policy)) throw new StatusError(`invalid --policy option "${o.policy}"`, 1);
  const failures: string[] = [];
  let failed: Error | undefined;
  await Promise.all(services.map(async (svc) => {
    const s = p.services[svc];
    if (!s.image) {
      pr.event({ kind: '', name: svc, text: 'Skipped', status: 'No image to be pulled', done: true });
      return;
    }
    if (s.build && o.ignoreBuildable) {
      pr.event({ kind: '', name: svc, text: 'Skipped', status: 'Image can be built', done: true });
      return;
    }
    if (o.policy === 'missing' && (await exists(engine, s.image as string))) {
      pr.event({ kind: '', name: svc, text: 'Skipped', status: 'Image is already present locally', done: true });
      return;
    }
    try {
      await pullServiceImage(ctx, engine, s, pr, !!o.quiet);
    } catch (e) {
      if (o.ignorePullFailures || s.build) failures.push(svc);
      else failed ??= e instanceof StatusError ? e : new StatusError((e as Error).message, 1);
    }
  }));
  if (failed) throw failed;
}

function progressQuiet(ctx: ComposeContext): Progress {
  return progress({ ...ctx, progressMode: 'quiet' });
}

async function exists(engine: Engine, image: string): Promise<boolean> {
  try {
    await engine.json({ path: `/images/${encodeURIComponent(image)}/json` });
    return true;
  } catch {
    return false;
  }
}

/** `compose push`: the images of the services that have both build and image (and build.tags). */
export async function runPush(ctx: ComposeContext, o: Record<string, any>, args: string[]): Promise<void> {
  const p: Project = ctx.project(args);
  const services = selectServices(p, args, !o.includeDeps);
  const engine = await ctx.engine();
  const pr = o.quiet ? progressQuiet(ctx) : progress(ctx);
  let failed: Error | undefined;
  const jobs: Promise<void>[] = [];
  for (const svc of services) {
    const s = p.services[svc];
    if (!s.build || !s.image) {
      pr.event({ kind: '', name: svc, text: 'Skipped', status: '', done: true });
      continue;
    }
    for (const tag of [s.image as string, ...(((s.build as any).tags as string[]) ?? [])]) {
      jobs.push((async () => {
        try {
          await pushTag(ctx, engine, tag, pr, !!o.quiet);
        } catch (e) {
          if (!o.ignorePushFailures) failed ??= e instanceof StatusError ? e : new StatusError((e as Error).message, 1);
          else pr.tail(`Pushing ${svc}: ${(e as Error).message}`);
        }
      })());
    }
  }
  await Promise.all(jobs);
  if (failed) throw failed;
}

async function pushTag(ctx: ComposeContext, engine: Engine, tag: string, pr: Progress, quiet: boolean): Promise<void> {
  let ref;
  try {
    ref = parseNormalized(tag);
  } catch (e) {
    throw new StatusError((e as Error).message, 1);
  }
  const name = ref.domain === 'docker.io' ? familiarName(ref) : ref.name;
  const res = await engine.stream({ method: 'POST', path: `/images/${encodeURIComponent(name)}/push`, query: { tag: ref.tag || undefined }, registryAuth: registryAuth(ctx, tag) });
  for await (const jm of messages(res as AsyncIterable<Buffer>)) {
    if (jm.error || jm.errorDetail) throw new StatusError(jm.errorDetail?.message || jm.error || '', 1);
    if (quiet || !jm.id) continue;
    const done = ['Pushed', 'Layer already exists', 'Mounted from'].some((x) => (jm.status ?? '').startsWith(x));
    pr.event({ kind: '', name: `Pushing ${tag}: ${jm.id}`, text: jm.status ?? '', status: jm.progressDetail ? progressBar(jm.progressDetail, 200) : '', done });
  }
}
