/**
 * Build contexts as docker's classic builder gets them: a directory packed with tar-fs honouring
 * .dockerignore (Docker's matching through @balena/dockerignore; the Dockerfile and .dockerignore
 * are always sent), a tar or a Dockerfile on stdin, a git repository cloned locally, or a URL.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { StatusError } from '../cli/errors.js';

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

async function packDir(dir: string, patterns: string[], extra?: { name: string; content: Buffer }): Promise<Readable> {
  const { default: tar } = await import('tar-fs');
  const { default: ignore } = await import('@balena/dockerignore');
  const ig = ignore().add(patterns);
  const hasNegation = patterns.some((p) => p.startsWith('!'));
  const skip = (abs: string): boolean => {
      const rel = relative(dir, abs).split(sep).join('/');
      if (!rel) return false;
      if (!ig.ignores(rel)) return false;
      // a directory that is excluded may still hold re-included files
      if (hasNegation) {
        try {
          if (statSync(abs).isDirectory()) return false;
        } catch {
          return true;
        }
      }
      return true;
  };
  const pack = (tar.pack as unknown as (d: string, o: unknown) => Readable & { entry?: unknown })(dir, {
    // the top-level entries, so that the context's root itself is not an entry (docker sends none)
    entries: readdirSync(dir).sort().filter((n) => !skip(join(dir, n))),
    ignore: skip,
    map: (h: { name: string; uid: number; gid: number; uname?: string; gname?: string }) => ({ ...h, uid: 0, gid: 0, uname: '', gname: '' }),
    finalize: !extra,
    finish: extra
      ? (p: { entry: (h: object, b: Buffer) => void; finalize: () => void }) => {
          p.entry({ name: extra.name, mode: 0o600, size: extra.content.length, mtime: new Date(), type: 'file' }, extra.content);
          p.finalize();
        }
      : undefined,
  });
  return pack;
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

function cloneGit(url: string): string {
  const [repo, fragment = ''] = url.split('#');
  const [ref, subdir = ''] = fragment.split(':');
  const dir = mkdtempSync(join(tmpdir(), 'tdocker-build-git-'));
  const args = ['clone', '--recursive', '--quiet'];
  if (ref) args.push('--branch', ref);
  args.push('--depth', '1', repo.startsWith('github.com/') ? `https://${repo}` : repo, dir);
  let r = spawnSync('git', args, { encoding: 'utf8' });
  if (r.status !== 0 && ref) {
    // a commit id cannot be cloned by --branch: fetch it instead
    r = spawnSync('git', ['clone', '--quiet', repo, dir], { encoding: 'utf8' });
    if (r.status === 0) r = spawnSync('git', ['-C', dir, 'checkout', '--quiet', ref], { encoding: 'utf8' });
  }
  if (r.status !== 0) throw new StatusError(`unable to prepare context: unable to 'git clone' to temporary context directory: error fetching: ${(r.stderr || '').trim()}: exit status 128`, 1);
  return subdir ? join(dir, subdir) : dir;
}

async function download(url: string): Promise<Buffer> {
  const res = await fetch(url);
  if (!res.ok) throw new StatusError(`unable to prepare context: unable to download remote context ${url}: ${res.status} ${res.statusText}`, 1);
  return Buffer.from(await res.arrayBuffer());
}

export interface ContextOptions {
  /** the context argument: a directory, "-", a git URL or an http(s) URL */
  context: string;
  /** -f value ("" for the default, "-" for stdin) */
  file: string;
  stdin: Readable;
  cwd: string;
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
  if (isGitURL(o.context)) {
    dir = cloneGit(o.context);
    const root = dir;
    cleanup = (): void => spawnSync('rm', ['-rf', root]) as unknown as void;
  } else if (/^https?:\/\//.test(o.context)) {
    const data = await download(o.context);
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
    const abs = o.file ? (isAbsolute(o.file) ? o.file : resolve(o.cwd, o.file)) : join(dir, 'Dockerfile');
    if (!existsSync(abs)) {
      const shown = o.file ? abs : join(dir, 'Dockerfile');
      throw new StatusError(`unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat ${shown}: no such file or directory`, 1);
    }
    const rel = relative(dir, abs);
    if (rel.startsWith('..') || isAbsolute(rel)) {
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
  const pass = new PassThrough();
  body.on('error', (e) => pass.destroy(e));
  body.pipe(pass);
  return { body: pass, dockerfile, cleanup };
}
