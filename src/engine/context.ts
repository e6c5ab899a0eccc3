/**
 * Build contexts as docker's classic builder gets them: a directory packed with tar-fs honouring
 * .dockerignore (Docker's matching through @balena/dockerignore; the Dockerfile and .dockerignore
 * are always sent), a tar or a Dockerfile on stdin, a git repository cloned locally, or a URL.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, lstatSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { errnoText, StatusError } from '../cli/errors.js';
import { Coalesce } from '../stream/coalesce.js';
import { syncFs } from '../stream/syncfs.js';
import { progressBar } from '../stream/progress.js';

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

/**
 * Pack a directory as docker's archive.TarWithOptions does: lexical order, uid/gid 0, modes kept.
 * An excluded directory is skipped unless an exception pattern ("!dir/file") starts inside it; then
 * it is walked for the re-included files but gets no entry of its own.
 */
async function packDir(dir: string, patterns: string[], extra?: { name: string; content: Buffer }): Promise<Readable> {
  const { default: tar } = await import('tar-fs');
  const { default: tarStream } = await import('tar-stream');
  const { default: ignore } = await import('@balena/dockerignore');
  const ig = ignore().add(patterns);
  const exceptions = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const walkedOnly = new Set<string>();
  const pack = tarStream.pack();
  const entry = pack.entry.bind(pack) as (h: { name: string }, ...rest: unknown[]) => unknown;
  (pack as unknown as { entry: unknown }).entry = (h: { name: string }, ...rest: unknown[]): unknown => {
    if (walkedOnly.has(h.name.replace(/\/$/, ''))) {
      const cb = rest[rest.length - 1] as () => void;
      process.nextTick(cb);
      return undefined;
    }
    return entry(h, ...rest);
  };
  const skip = (abs: string): boolean => {
    const rel = relative(dir, abs).split(sep).join('/');
    if (!rel || !ig.ignores(rel)) return false;
    if (exceptions.length) {
      let isDir = false;
      try {
        isDir = lstatSync(abs).isDirectory();
      } catch {
        return true;
      }
      if (isDir && exceptions.some((e) => `${e}/`.startsWith(`${rel}/`))) {
        walkedOnly.add(rel);
        return false;
      }
    }
    return true;
  };
  (tar.pack as unknown as (d: string, o: unknown) => Readable)(dir, {
    pack,
    fs: syncFs,
    umask: 0,
    // the top-level entries, so that the context's root itself is not an entry (docker sends none)
    entries: readdirSync(dir)
      .sort()
      .filter((n) => !skip(join(dir, n))),
    sort: true,
    ignore: skip,
    // Go's archive/tar names a directory "dir/" (tar-stream means to, but tests a field tar-fs does
    // not set); the builder's content hashes (COPY dir:<hash>, the cache) include the name
    map: (h: { name: string; type?: string; uid: number; gid: number; uname?: string; gname?: string }) => ({
      ...h,
      name: h.type === 'directory' && !h.name.endsWith('/') ? `${h.name}/` : h.name,
      uid: 0,
      gid: 0,
      uname: '',
      gname: '',
    }),
    finalize: !extra,
    finish: extra
      ? (p: { entry: (h: object, b: Buffer) => void; finalize: () => void }) => {
          p.entry({ name: extra.name, mode: 0o600, size: extra.content.length, mtime: new Date(), type: 'file' }, extra.content);
          p.finalize();
        }
      : undefined,
  });
  return pack as unknown as Readable;
}

function isTarOrCompressed(head: Buffer): boolean {
  if (head.length >= 262 && head.subarray(257, 262).toString() === 'ustar') return true;
  if (head[0] === 0x1f && head[1] === 0x8b) return true; // gzip
  if (head.subarray(0, 3).toString() === 'BZh') return true;
  if (head[0] === 0xfd && head.subarray(1, 6).toString() === '7zXZ\0') return true;
  return false;
}

async function readAll(s: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

async function dockerfileTar(content: Buffer, name = 'Dockerfile'): Promise<Readable> {
  const { default: tarStream } = await import('tar-stream');
  const pack = tarStream.pack();
  pack.entry({ name, size: content.length, mode: 0o600 }, content);
  pack.finalize();
  return pack as unknown as Readable;
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
async function cloneGit(url: string): Promise<{ dir: string; root: string }> {
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
    const r = spawnSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
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

/** filepath.EvalSymlinks' failure: the first component of the path that cannot be lstat'ed. */
export function firstMissing(abs: string): { path: string; why: string } | undefined {
  const parts = abs.split('/').filter(Boolean);
  let cur = '';
  for (const part of parts) {
    cur += '/' + part;
    try {
      lstatSync(cur);
    } catch (e) {
      return { path: cur, why: errnoText(e) ?? 'no such file or directory' };
    }
  }
  return undefined;
}

export interface ContextOptions {
  /** the context argument: a directory, "-", a git URL or an http(s) URL */
  context: string;
  /** -f value ("" for the default, "-" for stdin) */
  file: string;
  stdin: Readable;
  cwd: string;
  /** where download progress goes (stdout, or a buffer with -q) */
  progress?: (s: string) => void;
}

export async function prepareContext(o: ContextOptions): Promise<BuildContext> {
  let cleanup = (): void => {};
  let dockerfileFromStdin: Buffer | undefined;
  if (o.file === '-') {
    if (o.context === '-') throw new StatusError('invalid argument: can\'t use stdin for both build context and dockerfile', 1);
    dockerfileFromStdin = await readAll(o.stdin);
  }
  if (o.context === '-') {
    const data = await readAll(o.stdin);
    if (isTarOrCompressed(data)) return { body: Readable.from([data]), dockerfile: o.file || 'Dockerfile', cleanup };
    return { body: await dockerfileTar(data), dockerfile: 'Dockerfile', cleanup };
  }
  let dir: string;
  const fromGit = isGitURL(o.context);
  if (fromGit) {
    const clone = await cloneGit(o.context);
    dir = clone.dir;
    cleanup = (): void => rmSync(clone.root, { recursive: true, force: true });
  } else if (/^https?:\/\//.test(o.context)) {
    const data = await download(o.context, o.progress ?? (() => {}));
    if (isTarOrCompressed(data)) return { body: Readable.from([data]), dockerfile: o.file || 'Dockerfile', cleanup };
    return { body: await dockerfileTar(data), dockerfile: 'Dockerfile', cleanup };
  } else {
    dir = resolve(o.cwd, o.context);
    if (!existsSync(dir)) throw new StatusError(`unable to prepare context: path "${o.context}" not found`, 1);
    if (!statSync(dir).isDirectory()) throw new StatusError(`unable to prepare context: context must be a directory: ${dir}`, 1);
  }
  let dockerfile = 'Dockerfile';
  let extra: { name: string; content: Buffer } | undefined;
  if (dockerfileFromStdin) {
    dockerfile = `.dockerfile.${randomBytes(10).toString('hex')}`;
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
      dockerfile = `.dockerfile.${randomBytes(10).toString('hex')}`;
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
  const body = await packDir(dir, patterns, extra);
  const pass = new Coalesce();
  body.on('error', (e) => pass.destroy(e));
  body.pipe(pass);
  return { body: pass, dockerfile, cleanup };
}
