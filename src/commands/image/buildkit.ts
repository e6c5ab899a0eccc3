/**
 * `build` through BuildKit, as docker's client drives it without buildx: a session serving the
 * context and the Dockerfile's directory (file sync honouring .dockerignore), registry credentials
 * and secrets; POST /build?version=2 naming the session; the moby.buildkit.trace aux messages drawn as
 * buildx's plain progress on stderr; the image ID from moby.image.id.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { Cli } from '../../cli/cli.js';
import { StatusError } from '../../cli/errors.js';
import { getAuth } from '../../engine/auth.js';
import { decodeStatus } from '../../engine/buildkit/proto.js';
import { startSession } from '../../engine/buildkit/session.js';
import { isTarOrCompressed, readIgnore } from './build-context.js';
import { peek, peekFile, readAll } from '../../stream/peek.js';
import { regularFile } from '../../stream/filesource.js';
import { PlainPrinter } from '../../format/buildkit.js';
import { TtyDisplay } from '../../format/buildkit-tty.js';
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
  /** not a flag (compose): vertex names prefixed as buildx's WithPrefix does (`[svc] name`, `[svc internal] …`) */
  vertexPrefix?: string;
  /** not a flag (compose): where the progress goes (default stderr) */
  progressOut?: NodeJS.WritableStream;
  /** not a flag (compose): a display shared by several builds (buildx's one printer for all services); left unfinished */
  display?: { update(m: ReturnType<typeof decodeStatus>): void; finish(): void };
  /** not a flag (compose): the built image's ID */
  onImageId?: (id: string) => void;
  /** -o/--output: type=local,dest=DIR, type=tar,dest=FILE, DIR, or - (a tar on stdout) */
  output?: string[];
}

export interface BuildOutput {
  Type: string;
  Attrs: Record<string, string>;
}

/** one CSV record as Go's encoding/csv reads it (quotes allowed around a field) */
export function csvFields(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    let f = '';
    if (s[i] === '"') {
      i++;
      for (;;) {
        if (i >= s.length) throw Object.assign(new Error('extraneous or missing " in quoted-field'), { column: s.length + 1 });
        if (s[i] === '"') {
          if (s[i + 1] === '"') {
            f += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        f += s[i++];
      }
      if (i < s.length && s[i] !== ',') throw Object.assign(new Error('extraneous or missing " in quoted-field'), { column: i + 1 });
    } else {
      const j = s.indexOf(',', i);
      f = s.slice(i, j < 0 ? s.length : j);
      if (f.includes('"')) throw Object.assign(new Error('bare " in non-quoted-field'), { column: i + f.indexOf('"') + 1 });
      i = j < 0 ? s.length : j;
    }
    out.push(f);
    if (i >= s.length) return out;
    i++;
  }
}

/** docker 20.10's parseOutputs: a bare value is a local directory, `-` a tar on stdout */
export function parseOutputs(list: string[]): BuildOutput[] {
  const outs: BuildOutput[] = [];
  for (const s of list) {
    let fields: string[];
    try {
      fields = csvFields(s);
    } catch (e) {
      throw new StatusError(`failed to parse outputs: parse error on line 1, column ${(e as { column: number }).column}: ${(e as Error).message}`, 1);
    }
    if (fields.length === 1 && fields[0] === s && !s.startsWith('type=')) {
      outs.push({ Type: s === '-' ? 'tar' : 'local', Attrs: { dest: s } });
      continue;
    }
    const out: BuildOutput = { Type: '', Attrs: {} };
    for (const f of fields) {
      const i = f.indexOf('=');
      if (i < 0) throw new StatusError(`failed to parse outputs: invalid value ${f}`, 1);
      const k = f.slice(0, i).toLowerCase();
      if (k === 'type') out.Type = f.slice(i + 1);
      else out.Attrs[k] = f.slice(i + 1);
    }
    if (!out.Type) throw new StatusError('failed to parse outputs: type is required for output', 1);
    outs.push(out);
  }
  return outs;
}

/** Go's *PathError text for an open that failed */
function goFileError(e: NodeJS.ErrnoException, path: string): string {
  const texts: Record<string, string> = { ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory', ENOTDIR: 'not a directory' };
  return `open ${path}: ${texts[e.code ?? ''] ?? e.message}`;
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
  // where the context and the Dockerfile come from, as docker 20.10's client decides it
  let remote = 'client-session';
  let upload: Readable | undefined;
  let ctxDir = '';
  let dfDir = '';
  let dockerfile = o.file;
  let stdinDockerfile: Buffer | undefined;
  const temps: string[] = [];
  const cleanup = (): void => {
    for (const t of temps) rmSync(t, { recursive: true, force: true });
  };
  const readStdin = async (): Promise<Buffer> => (cli.in.fd !== undefined && regularFile(cli.in.fd) !== undefined ? readFileSync(regularFile(cli.in.fd)!) : readAll(cli.in.stream));
  if (context === '-') {
    if (o.file === '-') throw new StatusError("invalid argument: can't use stdin for both build context and dockerfile", 1);
    const fd = cli.in.fd !== undefined ? regularFile(cli.in.fd) : undefined;
    const { head, whole } = fd !== undefined ? peekFile(fd, 1024) : await peek(cli.in.stream, 1024);
    if (isTarOrCompressed(head)) {
      upload = whole;
      remote = 'upload-request';
    } else {
      if (o.file) throw new StatusError('ambiguous Dockerfile source: both stdin and flag correspond to Dockerfiles', 1);
      stdinDockerfile = await readAll(whole);
      ctxDir = mkdtempSync(join(tmpdir(), 'empty-dir'));
      temps.push(ctxDir);
    }
  } else if (isLocalDir(cli.cwd, context)) {
    ctxDir = isAbsolute(context) ? context : resolve(cli.cwd, context);
    if (o.file === '-') stdinDockerfile = await readStdin();
    else if (o.file) {
      const dfPath = isAbsolute(o.file) ? o.file : resolve(cli.cwd, o.file);
      dockerfile = basename(dfPath);
      dfDir = dirname(dfPath);
    } else dfDir = ctxDir;
  } else if (/^(https?|git):\/\//.test(context) || /^git@/.test(context) || /^github\.com\//.test(context)) {
    remote = context;
    if (o.file === '-') stdinDockerfile = await readStdin();
  } else throw new StatusError(`unable to prepare context: path "${context}" not found`, 1);
  if (stdinDockerfile) {
    // build.WriteTempDockerfile: the Dockerfile alone in a temporary directory
    dfDir = mkdtempSync(join(tmpdir(), 'docker-build-dockerfile-'));
    temps.push(dfDir);
    writeFileSync(join(dfDir, 'Dockerfile'), stdinDockerfile);
    dockerfile = 'Dockerfile';
  }
  try {
    await buildWith(cli, o, { remote, upload, ctxDir, dfDir, dockerfile: dockerfile || '' });
  } finally {
    cleanup();
  }
}

interface Sources {
  remote: string;
  upload?: Readable;
  ctxDir: string;
  dfDir: string;
  dockerfile: string;
}

async function buildWith(cli: Cli, o: BuildOptions & BuildKitExtra, src: Sources): Promise<void> {
  const { ctxDir, dfDir } = src;
  const dockerfile = src.dockerfile;
  const secrets: Record<string, () => Buffer> = {};
  for (const s of o.secret) {
    const [id, f] = parseSecret(s, cli.env, cli.cwd);
    secrets[id] = f;
  }
  let progress = o.quiet ? 'quiet' : o.progress || 'auto';
  if (progress === 'auto' && cli.env.BUILDKIT_PROGRESS) progress = cli.env.BUILDKIT_PROGRESS;
  if (!['auto', 'plain', 'tty', 'quiet', 'rawjson'].includes(progress)) throw new StatusError(`invalid progress mode: ${progress}`, 1);
  const outputs = parseOutputs(o.output ?? []);
  let target: NonNullable<Parameters<typeof startSession>[1]['target']> | undefined;
  let stdoutUsed = false;
  for (const out of outputs) {
    if (out.Type === 'local') {
      const dest = out.Attrs.dest;
      if (dest === undefined) throw new StatusError('dest is required for local output', 1);
      delete out.Attrs.dest;
      target = { dir: isAbsolute(dest) ? dest : resolve(cli.cwd, dest) };
    } else if (out.Type === 'tar') {
      const dest = out.Attrs.dest;
      if (dest === undefined) throw new StatusError('dest is required for tar output', 1);
      delete out.Attrs.dest;
      if (dest === '-') {
        if (cli.out.isTTY) throw new StatusError('refusing to write output to console', 1);
        stdoutUsed = true;
        const w = cli.out.stream;
        target = {
          write: (b) => new Promise<void>((res) => (w.write(b) ? res() : w.once('drain', () => res()))),
          close: async () => undefined,
        };
      } else {
        const file = isAbsolute(dest) ? dest : resolve(cli.cwd, dest);
        let fd: number;
        try {
          fd = openSync(file, 'w', 0o666);
        } catch (e) {
          throw new StatusError(`failed to open ${dest}: ${goFileError(e as NodeJS.ErrnoException, dest)}`, 1);
        }
        target = {
          write: async (b) => {
            let off = 0;
            while (off < b.length) off += writeSync(fd, b, off);
          },
          close: async () => closeSync(fd),
        };
      }
    }
  }
  const engine = await cli.engine();
  const excludes = ctxDir && existsSync(resolve(ctxDir, '.dockerignore')) ? readIgnore(ctxDir) : [];
  const dirs: Record<string, { dir: string; excludes?: string[] }> = {};
  if (dfDir) {
    dirs.context = { dir: ctxDir, excludes };
    dirs.dockerfile = { dir: dfDir };
  }
  const session = await startSession(engine, {
    sharedKey: sharedKey(cli, ctxDir || src.remote),
    dirs,
    credentials: (host) => {
      const key = host === 'registry-1.docker.io' || host === 'docker.io' ? 'https://index.docker.io/v1/' : host;
      const a = getAuth(cli, key);
      if (a.identitytoken) return { Username: '', Secret: a.identitytoken };
      return { Username: a.username ?? '', Secret: a.password ?? '' };
    },
    secrets,
    target,
  });
  const buildID = randomBytes(32).toString('hex');
  const args = buildArgs(o.buildArg, cli.env);
  const query: Record<string, unknown> = {
    buildargs: Object.keys(args).length ? JSON.stringify(args) : undefined,
    buildid: buildID,
    cachefrom: o.cacheFrom.length ? JSON.stringify(o.cacheFrom) : undefined,
    dockerfile: dockerfile || undefined,
    extrahosts: o.addHost.length ? o.addHost : undefined,
    labels: o.label.length ? JSON.stringify(labelMap(o.label)) : undefined,
    networkmode: o.network && o.network !== 'default' ? o.network : undefined,
    nocache: o.noCache ? '1' : undefined,
    outputs: outputs.length ? JSON.stringify(outputs) : undefined,
    platform: o.platform || cli.env.DOCKER_DEFAULT_PLATFORM || undefined,
    pull: o.pull ? '1' : undefined,
    remote: src.remote,
    session: session.id,
    t: o.tag.length ? o.tag : undefined,
    target: o.target || undefined,
    version: '2',
  };
  for (const k of Object.keys(query)) if (query[k] === undefined) delete query[k];
  const err = o.progressOut ?? cli.err.stream;
  // with -q the progress is kept, and shown only when the build fails
  const kept: string[] = [];
  // the live view where stderr is a terminal (auto or tty), plain lines otherwise
  const live = (progress === 'auto' || progress === 'tty') && cli.err.isTTY;
  const printer: { update(m: ReturnType<typeof decodeStatus>): void; finish(): void } | undefined =
    o.display ?? (progress === 'rawjson'
      ? undefined
      : live
        ? new TtyDisplay({
            write: (s) => err.write(s),
            size: () => {
              const w = err as unknown as { columns?: number; rows?: number };
              return { columns: w.columns ?? cli.err.columns, rows: w.rows ?? cli.err.rows };
            },
          })
        : new PlainPrinter((s) => (progress === 'quiet' ? kept.push(s) : err.write(s))));
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
    // a tar on stdin goes up in a request of its own, which the build names as its context
    if (src.upload)
      void engine
        .stream({ method: 'POST', path: '/build', query: { buildid: `upload-request:${buildID}`, version: '2' }, headers: { 'Content-Type': 'application/x-tar' }, file: src.upload, signal: ac.signal })
        .then((r) => r.resume())
        .catch(() => undefined);
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
  if (!o.display) printer?.finish();
  if (failure !== undefined) {
    if (kept.length) err.write(kept.join(''));
    throw new StatusError(failure, 1);
  }
  if (session.failures.length) throw new StatusError(session.failures[0].message, 1);
  if (o.onImageId) o.onImageId(imageId);
  else if (progress === 'quiet' && !stdoutUsed) cli.out.stream.write(imageId + '\n');
  if (o.iidfile) {
    if (!imageId) throw new StatusError(`Server did not provide an image ID. Cannot write ${o.iidfile}`, 1);
    writeFileSync(o.iidfile, imageId);
  }
}
