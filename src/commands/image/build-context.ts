/**
 * Build contexts as docker's classic builder gets them: a directory packed with tar-fs honouring
 * .dockerignore (Docker's matching through @balena/dockerignore; the Dockerfile and .dockerignore
 * are always sent), a tar or a Dockerfile on stdin, a git repository cloned locally, or a URL.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { StatusError } from '../../cli/errors.js';
import { peek, peekFile, readAll } from '../../stream/peek.js';
import { TarWriter, type TarEntryType } from '../../stream/tarwriter.js';
import { packEntries, walkContext } from '../../engine/tarpack.js';
import { firstMissing } from '../../engine/copyinfo.js';
import { progressBar } from '../../stream/progress.js';

export interface BuildContext {
  /** the tar stream sent to the engine */
  body: Readable;
  /** the Dockerfile's path inside the context */
  dockerfile: string;
  /** remove temporary files */
  cleanup: () => void;
}

/** Read .dockerignore patterns as docker does (comments, blank lines, leading "/" and "./" cleaned). */
export function readIgnore(dir: string): string[] {
  const p = join(dir, '.dockerignore');
  if (!existsSync(p)) return [];
  return readFileSync(p, 'utf8')
    .split('\n')
    .map((l) => l.replace(/\r$/, '').trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const neg = l.startsWith('!');
      let pat = neg ? l.slice(1).trim() : l;
      pat = pat.replace(/^\/+/, '').replace(/^\.\//, '');
      return (neg ? '!' : '') + pat;
    });
}

/** a Dockerfile from stdin or from outside the context, sent inside it under a random name */
interface AddedDockerfile {
  name: string;
  content: Buffer;
}

/** ".dockerfile." and 20 random hex digits, as docker names it */
const randomDockerfileName = (): string => `.dockerfile.${randomBytes(10).toString('hex')}`;

/** docker's AddDockerfileToBuildContext: the random name is added to .dockerignore, so that the builder removes it from the context */
const ignoreListing = (content: Buffer | undefined, name: string): Buffer => Buffer.concat([content ?? Buffer.from('.dockerignore'), Buffer.from(`\n${name}\n`)]);

/** the entries AddDockerfileToBuildContext appends: Go rounds their time to the second */
function addedEntries(out: TarWriter, added: AddedDockerfile, hadIgnore: boolean): void {
  const mtime = new Date(Math.round(Date.now() / 1000) * 1000);
  out.entry({ name: added.name, mode: 0o600, mtime, type: 'file' }, added.content);
  if (!hadIgnore) out.entry({ name: '.dockerignore', mode: 0o600, mtime, type: 'file' }, ignoreListing(undefined, added.name));
}

/**
 * Pack a directory as docker's archive.TarWithOptions does (see tarpack.ts), with uid/gid 0. A
 * Dockerfile from elsewhere is appended under a random name and listed in .dockerignore, as docker's
 * AddDockerfileToBuildContext does.
 */
async function packDir(dir: string, patterns: string[], added?: AddedDockerfile, log?: (line: string) => void): Promise<Readable> {
  const { default: ignore } = await import('@balena/dockerignore');
  const ig = ignore().add(patterns);
  const entries = walkContext(
    dir,
    (r) => ig.ignores(r),
    patterns,
    (abs) => new StatusError(`error checking context: can't stat '${abs}'`, 1),
    log,
  );
  let hadIgnore = false;
  return packEntries(dir, () => entries, {
    // build.ValidateContextDirectory's message for a file that cannot be opened
    describe: (p, e) => (e.code === 'EACCES' || e.code === 'EPERM' ? new StatusError(`error checking context: no permission to read from '${p}'`, 1) : e),
    replace: added
      ? (name) => {
          if (name !== '.dockerignore') return undefined;
          hadIgnore = true;
          return ignoreListing(readFileSync(join(dir, name)), added.name);
        }
      : undefined,
    finish: added
      ? (out): void => {
          addedEntries(out, added, hadIgnore);
          out.finalize();
        }
      : undefined,
  });
}

export function isTarOrCompressed(head: Buffer): boolean {
  if (head.length >= 262 && head.subarray(257, 262).toString() === 'ustar') return true;
  if (head[0] === 0x1f && head[1] === 0x8b) return true; // gzip
  if (head.subarray(0, 3).toString() === 'BZh') return true;
  if (head[0] === 0xfd && head.subarray(1, 6).toString() === '7zXZ\0') return true;
  return false;
}

/**
 * docker's GetContextFromReader for a Dockerfile that is not an archive: written as "Dockerfile" in
 * a temporary directory (mode 0644 under the usual umask) and that directory tarred.
 */
function dockerfileTar(content: Buffer): Readable {
  const out = new TarWriter();
  out.entry({ name: 'Dockerfile', mode: 0o644, mtime: new Date(), type: 'file' }, content);
  out.finalize();
  return out;
}

/**
 * AddDockerfileToBuildContext over a context that is already a tar (a downloaded one): every entry
 * passed on, .dockerignore given the random name, the Dockerfile (and a .dockerignore if there was
 * none) appended.
 */
async function addDockerfileToTar(data: Buffer, added: AddedDockerfile): Promise<Readable> {
  const { default: tarStream } = await import('tar-stream');
  if (data[0] === 0x1f && data[1] === 0x8b) data = gunzipSync(data);
  const ex = tarStream.extract();
  const out = new TarWriter();
  let hadIgnore = false;
  ex.on('entry', (h, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => {
      chunks.push(c as Buffer);
    });
    stream.on('end', () => {
      let body: Buffer = Buffer.concat(chunks);
      if (h.name === '.dockerignore') {
        hadIgnore = true;
        body = ignoreListing(body, added.name);
      }
      const type = (h.type ?? 'file') as TarEntryType;
      out.entry({ ...h, type, size: body.length, linkname: h.linkname ?? undefined, uname: h.uname ?? '', gname: h.gname ?? '' }, type === 'file' ? body : undefined, next);
    });
  });
  ex.on('finish', () => {
    addedEntries(out, added, hadIgnore);
    out.finalize();
  });
  ex.on('error', (e: Error) => out.destroy(new StatusError(`unable to prepare context: ${e.message}`, 1)));
  ex.end(data);
  return out;
}

function isGitURL(s: string): boolean {
  return /^git:\/\//.test(s) || /^git@/.test(s) || /^github\.com\//.test(s) || (/^https?:\/\//.test(s) && /\.git(#|$)/.test(s));
}

/**
 * moby's supportsShallowClone: an http(s) server can serve a shallow fetch only if it speaks git's
 * smart protocol (HEAD, else GET, of info/refs?service=git-upload-pack answers 200 with the
 * upload-pack advertisement); other transports always can.
 */
async function supportsShallowClone(remote: string): Promise<boolean> {
  if (!/^https?:\/\//.test(remote)) return true;
  const url = `${remote}/info/refs?service=git-upload-pack`;
  let res: Response | undefined;
  try {
    res = await fetch(url, { method: 'HEAD' });
  } catch {
    res = undefined;
  }
  if (!res || res.status !== 200) {
    try {
      res = await fetch(url);
      await res.body?.cancel();
    } catch {
      return false;
    }
    if (res.status !== 200) return false;
  }
  return res.headers.get('content-type') === 'application/x-git-upload-pack-advertisement';
}

/**
 * The git context as docker's gitutil makes it: init, fetch the ref (default "master") from origin
 * (shallowly where the server allows it), check it out (by name, else FETCH_HEAD), submodules, then
 * the subdirectory. Returns the context directory and the clone's root (to remove).
 */
async function cloneGit(url: string, env: NodeJS.ProcessEnv): Promise<{ dir: string; root: string }> {
  const hash = url.indexOf('#');
  let remote = hash >= 0 ? url.slice(0, hash) : url;
  const fragment = hash >= 0 ? url.slice(hash + 1) : '';
  const colon = fragment.indexOf(':');
  const ref = (colon >= 0 ? fragment.slice(0, colon) : fragment) || 'master';
  const subdir = colon >= 0 ? fragment.slice(colon + 1) : '';
  if (remote.startsWith('github.com/')) remote = `https://${remote}`;
  const shallow = await supportsShallowClone(remote);
  const root = mkdtempSync(join(tmpdir(), 'docker-build-git'));
  const fail = (m: string): StatusError => {
    rmSync(root, { recursive: true, force: true });
    return new StatusError(`unable to prepare context: unable to 'git clone' to temporary context directory: ${m}`, 1);
  };
  const git = (...args: string[]): { ok: boolean; out: string } => {
    const r = spawnSync('git', args, { cwd: root, encoding: 'utf8', env: { ...env, GIT_TERMINAL_PROMPT: '0' } });
    return { ok: r.status === 0, out: (r.stdout ?? '') + (r.stderr ?? '') + (r.error ? r.error.message : '') };
  };
  let r = git('init');
  if (!r.ok) throw fail(`failed to init repo at ${root}: ${r.out}: exit status 1`);
  r = git('remote', 'add', 'origin', remote);
  if (!r.ok) throw fail(`failed add origin repo at ${root}: ${r.out}: exit status 1`);
  r = git('fetch', ...(shallow ? ['--depth', '1'] : []), 'origin', '--', ref);
  if (!r.ok) throw fail(`error fetching: ${r.out}: exit status 128`);
  const co = git('checkout', ref);
  if (!co.ok && !git('checkout', 'FETCH_HEAD').ok) throw fail(`error checking out ${ref}: ${co.out}: exit status 1`);
  r = git('submodule', 'update', '--init', '--recursive', '--depth=1');
  if (!r.ok) throw fail(`error initializing submodules: ${r.out}: exit status 1`);
  let dir = root;
  if (subdir) {
    dir = resolve(root, subdir);
    const rel = relative(root, dir);
    if (rel === '..' || rel.startsWith('../')) throw fail(`error setting git context, "${subdir}" not within git root`);
    let st;
    try {
      st = statSync(dir);
    } catch {
      throw fail(`stat ${dir}: no such file or directory`);
    }
    if (!st.isDirectory()) throw fail(`error setting git context, not a directory: ${dir}`);
  }
  return { dir, root };
}

/**
 * moby's progress.Reader over a download: an update every 1% (at most 512kB), at most one per 100ms
 * unless complete, and a last one at the end followed by the raw formatter's "\r\n".
 */
export class ProgressLines {
  private current = 0;
  private lastUpdate = 0;
  private lastShown = -Infinity;
  constructor(
    private readonly action: string,
    private readonly size: number,
    private readonly write: (s: string) => void,
  ) {}

  private show(last: boolean): void {
    const now = Date.now();
    if (!(last || this.current === this.size || now - this.lastShown >= 100)) return;
    this.lastShown = now;
    const p = progressBar({ current: this.current, total: this.size }, 200);
    this.write(`${this.action} ${p}\r${p ? '' : '\n'}${last ? '\r\n' : ''}`);
  }

  read(n: number): void {
    this.current += n;
    let every = 512 * 1024;
    if (this.size > 0) every = Math.min(every, Math.trunc(0.01 * this.size));
    if (this.current - this.lastUpdate > every) {
      this.show(false);
      this.lastUpdate = this.current;
    }
  }

  end(): void {
    this.show(true);
  }
}

async function download(url: string, progress: (s: string) => void): Promise<Buffer> {
  const fail = (m: string): StatusError => new StatusError(`unable to prepare context: unable to download remote context ${url}: ${m}`, 1);
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    const c = (e as { cause?: { code?: string; address?: string; port?: number; message?: string } }).cause;
    const u = new URL(url);
    const hostPort = `${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`;
    if (c?.code === 'ECONNREFUSED') throw fail(`Get "${url}": dial tcp ${hostPort}: connect: connection refused`);
    if (c?.code === 'ENOTFOUND') throw fail(`Get "${url}": dial tcp: lookup ${u.hostname}: no such host`);
    throw fail(`Get "${url}": ${c?.message ?? (e as Error).message}`);
  }
  if (res.status >= 400) {
    const body = (await res.text()).trim();
    throw fail(`failed to GET ${url} with status ${res.status} ${res.statusText}: ${body}`);
  }
  const size = Number(res.headers.get('content-length') ?? -1);
  const lines = new ProgressLines(`Downloading build context from remote url: ${url}`, Number.isFinite(size) ? size : -1, progress);
  const chunks: Buffer[] = [];
  if (res.body) {
    for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) {
      chunks.push(Buffer.from(c));
      lines.read(c.length);
    }
  }
  lines.end();
  return Buffer.concat(chunks);
}


export interface ContextOptions {
  /** the context argument: a directory, "-", a git URL or an http(s) URL */
  context: string;
  /** -f value ("" for the default, "-" for stdin) */
  file: string;
  /** standard input, made when it is read */
  stdin: () => Readable;
  /** standard input's fd when it is a regular file (read directly, with large synchronous reads) */
  stdinFile?: number;
  cwd: string;
  /** the environment git runs in */
  env: NodeJS.ProcessEnv;
  /** where download progress goes (stdout, or a buffer with -q) */
  progress?: (s: string) => void;
  /** where docker's log lines go (stderr) */
  log?: (line: string) => void;
}

export async function prepareContext(o: ContextOptions): Promise<BuildContext> {
  let cleanup = (): void => {};
  let dockerfileFromStdin: Buffer | undefined;
  if (o.file === '-') {
    if (o.context === '-') throw new StatusError('invalid argument: can\'t use stdin for both build context and dockerfile', 1);
    dockerfileFromStdin = o.stdinFile !== undefined ? readFileSync(o.stdinFile) : await readAll(o.stdin());
  }
  if (o.context === '-') {
    // GetContextFromReader: an archive is streamed as it comes; anything else is a Dockerfile
    const { head, whole } = o.stdinFile !== undefined ? peekFile(o.stdinFile, 1024) : await peek(o.stdin(), 1024);
    if (isTarOrCompressed(head)) return { body: whole, dockerfile: o.file || 'Dockerfile', cleanup };
    return { body: dockerfileTar(await readAll(whole)), dockerfile: 'Dockerfile', cleanup };
  }
  let dir: string;
  const fromGit = isGitURL(o.context);
  if (fromGit) {
    const clone = await cloneGit(o.context, o.env);
    dir = clone.dir;
    cleanup = (): void => rmSync(clone.root, { recursive: true, force: true });
  } else if (/^https?:\/\//.test(o.context)) {
    const data = await download(o.context, o.progress ?? (() => {}));
    const archive = isTarOrCompressed(data);
    if (dockerfileFromStdin) {
      if (!archive) throw new StatusError('unable to prepare context: build context is not an archive', 1);
      const name = randomDockerfileName();
      return { body: await addDockerfileToTar(data, { name, content: dockerfileFromStdin }), dockerfile: name, cleanup };
    }
    if (archive) return { body: Readable.from([data]), dockerfile: o.file || 'Dockerfile', cleanup };
    return { body: dockerfileTar(data), dockerfile: 'Dockerfile', cleanup };
  } else {
    dir = resolve(o.cwd, o.context);
    if (!existsSync(dir)) throw new StatusError(`unable to prepare context: path "${o.context}" not found`, 1);
    if (!statSync(dir).isDirectory()) throw new StatusError(`unable to prepare context: context must be a directory: ${dir}`, 1);
  }
  let dockerfile = 'Dockerfile';
  let extra: AddedDockerfile | undefined;
  if (dockerfileFromStdin) {
    dockerfile = randomDockerfileName();
    extra = { name: dockerfile, content: dockerfileFromStdin };
  } else {
    // -f is relative to the current directory for a local context, to the clone for a git one
    let abs = o.file ? resolve(fromGit ? dir : o.cwd, o.file) : join(dir, 'Dockerfile');
    if (!o.file && !existsSync(abs) && existsSync(join(dir, 'dockerfile'))) abs = join(dir, 'dockerfile');
    const missing = firstMissing(abs);
    if (missing) throw new StatusError(`unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat ${missing.path}: ${missing.why}`, 1);
    const rel = relative(dir, abs);
    if (rel === '..' || rel.startsWith('../') || isAbsolute(rel)) {
      // a Dockerfile outside the context travels inside it under a random name
      dockerfile = randomDockerfileName();
      extra = { name: dockerfile, content: readFileSync(abs) };
    } else {
      dockerfile = rel.split(sep).join('/');
    }
  }
  let patterns = readIgnore(dir);
  const { default: ignore } = await import('@balena/dockerignore');
  if (patterns.length) {
    const ig = ignore().add(patterns);
    if (!extra && ig.ignores(dockerfile)) patterns = [...patterns, '!' + dockerfile];
    if (ig.ignores('.dockerignore')) patterns = [...patterns, '!.dockerignore'];
  }
  return { body: await packDir(dir, patterns, extra, o.log), dockerfile, cleanup };
}
