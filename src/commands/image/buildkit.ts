/**
 * `build` through BuildKit, as docker's client drives it without buildx: a session serving the
 * context and the Dockerfile's directory (file sync honouring .dockerignore), registry credentials
 * and secrets; POST /build?version=2 naming the session; the moby.buildkit.trace aux messages drawn as
 * buildx's plain progress on stderr; the image ID from moby.image.id.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Cli } from '../../cli/cli.js';
import { StatusError } from '../../cli/errors.js';
import { getAuth } from '../../engine/auth.js';
import { decodeStatus } from '../../engine/buildkit/proto.js';
import { startSession } from '../../engine/buildkit/session.js';
import { readIgnore } from './build-context.js';
import { PlainPrinter } from '../../format/buildkit.js';
import { onTermination } from '../../stream/terminal.js';
import type { BuildOptions } from './build.js';
import { buildArgs, labelMap } from './build.js';

/** DOCKER_BUILDKIT as strconv.ParseBool reads it; undefined when unset */
export function buildkitEnv(v: string | undefined): boolean | undefined {
  if (v === undefined || v === '') return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw new StatusError(`DOCKER_BUILDKIT environment variable expects boolean value: strconv.ParseBool: parsing "${v}": invalid syntax`, 1);
}

export const LEGACY_NOTICE =
  'DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n' +
  '            BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0\n' +
  '            environment-variable.\n\n';

/** a local directory context (BuildKit syncs it); other kinds go through the classic upload */
export function isLocalDir(cwd: string, context: string): boolean {
  if (context === '-' || /^[a-z]+:\/\//i.test(context) || /^git@/.test(context)) return false;
  const p = isAbsolute(context) ? context : resolve(cwd, context);
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * docker's getBuildSharedKey: sha256 of "<node id>:<context dir>", the node id a random one kept in
 * <config dir>/.buildNodeID, so that a later build of the same directory (by docker or tdocker) sends
 * only what changed.
 */
function sharedKey(cli: Cli, dir: string): string {
  const file = join(cli.config.dir, '.buildNodeID');
  let id = '';
  try {
    id = readFileSync(file, 'utf8').trim();
  } catch {
    id = randomBytes(32).toString('hex');
    try {
      mkdirSync(cli.config.dir, { recursive: true });
      writeFileSync(file, id, { mode: 0o600 });
    } catch {
      // a read-only config directory: the key lives for this build only
    }
  }
  return createHash('sha256').update(`${id}:${dir}`).digest('hex');
}

export interface BuildKitExtra {
  progress: string;
  secret: string[];
  /** compose: vertex names prefixed as buildx's WithPrefix does (`[svc] name`, `[svc internal] …`) */
  vertexPrefix?: string;
  /** compose: where the progress goes (default stderr) */
  progressOut?: NodeJS.WritableStream;
  /** compose: the built image's ID */
  onImageId?: (id: string) => void;
}

function parseSecret(s: string, env: NodeJS.ProcessEnv, cwd: string): [string, () => Buffer] {
  const kv: Record<string, string> = {};
  for (const f of s.split(',')) {
    const i = f.indexOf('=');
    const k = (i < 0 ? f : f.slice(0, i)).toLowerCase();
    kv[k] = i < 0 ? '' : f.slice(i + 1);
  }
  const id = kv.id;
  if (!id) throw new StatusError(`failed to parse secret: secret ID missing from "${s}"`, 125);
  const src = kv.src ?? kv.source;
  if (kv.env !== undefined) return [id, () => Buffer.from(env[kv.env] ?? '')];
  const path = src !== undefined ? src : env[id] !== undefined && !src ? '' : id;
  if (path === '' && env[id] !== undefined) return [id, () => Buffer.from(env[id]!)];
  return [id, () => readFileSync(isAbsolute(path) ? path : resolve(cwd, path))];
}

export async function runBuildKit(cli: Cli, o: BuildOptions & BuildKitExtra, context: string): Promise<void> {
  const ctxDir = isAbsolute(context) ? context : resolve(cli.cwd, context);
  let dockerfile = o.file || 'Dockerfile';
  if (o.file === '-') throw new StatusError('a Dockerfile from stdin is not supported with BuildKit here; set DOCKER_BUILDKIT=0', 1);
  const dfPath = isAbsolute(dockerfile) ? dockerfile : resolve(o.file ? cli.cwd : ctxDir, dockerfile);
  dockerfile = basename(dfPath);
  const secrets: Record<string, () => Buffer> = {};
  for (const s of o.secret) {
    const [id, f] = parseSecret(s, cli.env, cli.cwd);
    secrets[id] = f;
  }
  const progress = o.quiet ? 'quiet' : o.progress || 'auto';
  if (!['auto', 'plain', 'tty', 'quiet', 'rawjson'].includes(progress)) throw new StatusError(`invalid progress mode: ${progress}`, 1);
  const engine = await cli.engine();
  const excludes = existsSync(resolve(ctxDir, '.dockerignore')) ? readIgnore(ctxDir) : [];
  const session = await startSession(engine, {
    sharedKey: sharedKey(cli, ctxDir),
    dirs: { context: { dir: ctxDir, excludes }, dockerfile: { dir: dirname(dfPath) } },
    credentials: (host) => {
      const key = host === 'registry-1.docker.io' || host === 'docker.io' ? 'https://index.docker.io/v1/' : host;
      const a = getAuth(cli, key);
      if (a.identitytoken) return { Username: '', Secret: a.identitytoken };
      return { Username: a.username ?? '', Secret: a.password ?? '' };
    },
    secrets,
  });
  const buildID = randomBytes(32).toString('hex');
  const args = buildArgs(o.buildArg, cli.env);
  const query: Record<string, unknown> = {
    buildargs: Object.keys(args).length ? JSON.stringify(args) : undefined,
    buildid: buildID,
    cachefrom: o.cacheFrom.length ? JSON.stringify(o.cacheFrom) : undefined,
    dockerfile,
    extrahosts: o.addHost.length ? o.addHost : undefined,
    labels: o.label.length ? JSON.stringify(labelMap(o.label)) : undefined,
    networkmode: o.network && o.network !== 'default' ? o.network : undefined,
    nocache: o.noCache ? '1' : undefined,
    platform: o.platform || cli.env.DOCKER_DEFAULT_PLATFORM || undefined,
    pull: o.pull ? '1' : undefined,
    remote: 'client-session',
    session: session.id,
    t: o.tag.length ? o.tag : undefined,
    target: o.target || undefined,
    version: '2',
  };
  for (const k of Object.keys(query)) if (query[k] === undefined) delete query[k];
  const err = o.progressOut ?? cli.err.stream;
  // with -q the progress is kept, and shown only when the build fails
  const kept: string[] = [];
  const printer = progress === 'rawjson' ? undefined : new PlainPrinter((s) => (progress === 'quiet' ? kept.push(s) : err.write(s)));
  let imageId = '';
  let failure: string | undefined;
  const ac = new AbortController();
  // Ctrl-C: the engine is told to cancel the build, whose stream then ends with the cancellation
  let interrupted = false;
  const undo = onTermination(() => {
    if (interrupted) {
      ac.abort();
      return;
    }
    interrupted = true;
    engine.text({ method: 'POST', path: '/build/cancel', query: { id: buildID } }).catch(() => ac.abort());
  });
  try {
    const res = await engine.stream({ method: 'POST', path: '/build', query, headers: { 'Content-Type': 'application/x-tar' }, file: Readable.from([]), signal: ac.signal });
    let buf = '';
    const handle = (line: string): void => {
      if (!line.trim()) return;
      let jm: any;
      try {
        jm = JSON.parse(line);
      } catch {
        return;
      }
      if (jm.errorDetail || jm.error) {
        failure ??= jm.errorDetail?.message || jm.error;
        return;
      }
      if (jm.id === 'moby.buildkit.trace' && typeof jm.aux === 'string') {
        const st = decodeStatus(jm.aux);
        const pfx = o.vertexPrefix;
        if (pfx) for (const v of st.vertexes ?? []) v.name = v.name?.startsWith('[') ? `[${pfx} ${v.name.slice(1)}` : `[${pfx}] ${v.name ?? ''}`;
        if (progress === 'rawjson') err.write(JSON.stringify(st) + '\n');
        else printer?.update(st);
      } else if (jm.id === 'moby.image.id' && jm.aux?.ID) imageId = jm.aux.ID;
    };
    await new Promise<void>((res2, rej) => {
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          handle(buf.slice(0, i));
          buf = buf.slice(i + 1);
        }
      });
      res.on('end', () => {
        handle(buf);
        res2();
      });
      res.on('error', rej);
    });
  } catch (e) {
    if (interrupted) failure ??= 'context canceled';
    else throw e;
  } finally {
    undo();
    session.close();
  }
  printer?.finish();
  if (failure !== undefined) {
    if (kept.length) err.write(kept.join(''));
    throw new StatusError(failure, 1);
  }
  if (o.onImageId) o.onImageId(imageId);
  else if (progress === 'quiet') cli.out.stream.write(imageId + '\n');
  if (o.iidfile) {
    if (!imageId) throw new StatusError(`Server did not provide an image ID. Cannot write ${o.iidfile}`, 1);
    writeFileSync(o.iidfile, imageId);
  }
}
