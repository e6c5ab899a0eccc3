/**
 * docker's context store (docker/cli cli/context/store): `<config dir>/contexts/meta/<sha256(name)>/meta.json`
 * and `<config dir>/contexts/tls/<sha256(name)>/<endpoint>/{ca,cert,key}.pem`, the same files docker reads
 * and writes, so that contexts made by either client serve the other. Export and import use docker's tar
 * layout (meta.json, tls/, tls/<endpoint>/<file>).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_CONTEXT = 'default';
export const DEFAULT_DESCRIPTION = 'Current DOCKER_HOST based configuration';
const NAME_PATTERN = '^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$';
const NAME_RE = new RegExp(NAME_PATTERN);

/** A context as docker's store.Metadata holds it: the docker endpoint typed, everything else as read. */
export interface ContextMeta {
  Name: string;
  /** DockerContext: Description plus any additional fields; undefined when the file had none */
  Metadata?: Record<string, unknown>;
  Endpoints: Record<string, unknown>;
}

export interface DockerEndpointMeta {
  Host?: string;
  SkipTLSVerify: boolean;
}

/** TLS files of one context: endpoint name -> file names (ca.pem, cert.pem, key.pem) */
export type TlsListing = Record<string, string[]>;
/** TLS data of one context: endpoint name -> file name -> bytes */
export type TlsData = Record<string, Record<string, Buffer>>;

/** An error docker reports with its own text (status 1). */
export class StoreError extends Error {
  constructor(
    message: string,
    readonly notFound = false,
  ) {
    super(message);
  }
}

export function contextDirOf(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

/** store.ValidateContextName */
export function validateContextName(name: string): void {
  if (name === '') throw new StoreError('context name cannot be empty');
  if (name === DEFAULT_CONTEXT) throw new StoreError('"default" is a reserved context name');
  if (!NAME_RE.test(name)) throw new StoreError(`context name ${JSON.stringify(name)} is invalid, names are validated against regexp ${JSON.stringify(NAME_PATTERN)}`);
}

/** Go's encoding/json for the values a context holds: map keys sorted, <>& and U+2028/9 escaped. */
export function goJSON(v: unknown, sortKeys = true): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') {
    return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  }
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map((x) => goJSON(x, sortKeys)).join(',') + ']';
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).filter((k) => o[k] !== undefined);
  if (sortKeys) keys.sort();
  return '{' + keys.map((k) => goJSON(k) + ':' + goJSON(o[k], sortKeys)).join(',') + '}';
}

/** Go's json.Unmarshal matches field names without regard to case. */
function field(o: Record<string, unknown>, name: string): unknown {
  if (name in o) return o[name];
  const lower = name.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

/** The docker endpoint typed as docker.EndpointMeta */
export function dockerEndpointOf(c: ContextMeta): DockerEndpointMeta | undefined {
  const ep = c.Endpoints.docker;
  if (!ep || typeof ep !== 'object') return undefined;
  return ep as DockerEndpointMeta;
}

/** meta.json bytes as docker writes them. */
export function metaJSON(c: ContextMeta): string {
  const parts: string[] = [];
  if (c.Name) parts.push(`"Name":${goJSON(c.Name)}`);
  if (c.Metadata !== undefined) parts.push(`"Metadata":${goJSON(c.Metadata)}`);
  const keys = Object.keys(c.Endpoints).sort();
  if (keys.length) {
    const eps = keys.map((k) => {
      const v = c.Endpoints[k];
      if (k === 'docker' && v && typeof v === 'object') {
        const d = v as DockerEndpointMeta;
        const host = d.Host ? `"Host":${goJSON(d.Host)},` : '';
        return `"docker":{${host}"SkipTLSVerify":${d.SkipTLSVerify ? 'true' : 'false'}}`;
      }
      return `${goJSON(k)}:${goJSON(v)}`;
    });
    parts.push(`"Endpoints":{${eps.join(',')}}`);
  }
  return '{' + parts.join(',') + '}';
}

/** Parse meta.json the way docker's metadata store does (typed docker endpoint and DockerContext). */
export function parseMeta(text: string, fileName: string): ContextMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new StoreError(`parsing ${fileName}: ${(e as Error).message}`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new StoreError(`parsing ${fileName}: json: cannot unmarshal ${Array.isArray(raw) ? 'array' : typeof raw} into Go value of type store.untypedContextMetadata`);
  }
  const o = raw as Record<string, unknown>;
  const name = field(o, 'name');
  const md = field(o, 'metadata');
  const eps = field(o, 'endpoints');
  const c: ContextMeta = { Name: typeof name === 'string' ? name : '', Endpoints: {} };
  if (md !== undefined && md !== null) {
    if (typeof md !== 'object' || Array.isArray(md)) throw new StoreError(`parsing ${fileName}: json: cannot unmarshal ${Array.isArray(md) ? 'array' : typeof md} into Go value of type map[string]interface {}`);
    c.Metadata = { ...(md as Record<string, unknown>) };
  }
  if (eps && typeof eps === 'object') {
    for (const [k, v] of Object.entries(eps as Record<string, unknown>)) {
      if (v === null) {
        c.Endpoints[k] = null;
        continue;
      }
      if (k === 'docker') {
        if (typeof v !== 'object' || Array.isArray(v)) throw new StoreError(`parsing ${fileName}: json: cannot unmarshal ${typeof v} into Go value of type context.EndpointMetaBase`);
        const h = field(v as Record<string, unknown>, 'host');
        const s = field(v as Record<string, unknown>, 'skiptlsverify');
        c.Endpoints.docker = { Host: typeof h === 'string' && h !== '' ? h : undefined, SkipTLSVerify: s === true } satisfies DockerEndpointMeta;
      } else {
        c.Endpoints[k] = v;
      }
    }
  }
  return c;
}

/** sortorder.NaturalLess: runs of digits compare as numbers, everything else by bytes. */
export function naturalCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  const digit = (c: string): boolean => c >= '0' && c <= '9';
  while (i < a.length && j < b.length) {
    const ca = a[i];
    const cb = b[j];
    if (digit(ca) && digit(cb)) {
      let ei = i;
      while (ei < a.length && a[ei] === '0') ei++;
      let ej = j;
      while (ej < b.length && b[ej] === '0') ej++;
      let si = ei;
      while (si < a.length && digit(a[si])) si++;
      let sj = ej;
      while (sj < b.length && digit(b[sj])) sj++;
      const na = a.slice(ei, si);
      const nb = b.slice(ej, sj);
      if (na.length !== nb.length) return na.length - nb.length;
      if (na !== nb) return na < nb ? -1 : 1;
      if (si - i !== sj - j) return si - i - (sj - j);
      i = si;
      j = sj;
      continue;
    }
    if (ca !== cb) return ca < cb ? -1 : 1;
    i++;
    j++;
  }
  return a.length - i - (b.length - j);
}

/** The files of one config directory's context store. */
export class ContextStore {
  readonly metaRoot: string;
  readonly tlsRoot: string;

  constructor(readonly configDir: string) {
    this.metaRoot = join(configDir, 'contexts', 'meta');
    this.tlsRoot = join(configDir, 'contexts', 'tls');
  }

  metaDir(name: string): string {
    return join(this.metaRoot, contextDirOf(name));
  }

  tlsDir(name: string): string {
    return join(this.tlsRoot, contextDirOf(name));
  }

  get(name: string): ContextMeta {
    const file = join(this.metaDir(name), 'meta.json');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR') throw new StoreError(`context ${JSON.stringify(name)}: context not found: open ${file}: no such file or directory`, true);
      throw new StoreError(`context ${JSON.stringify(name)}: ${err.message}`);
    }
    try {
      return parseMeta(text, file);
    } catch (e) {
      throw new StoreError(`context ${JSON.stringify(name)}: ${(e as Error).message}`);
    }
  }

  exists(name: string): boolean {
    return existsSync(join(this.metaDir(name), 'meta.json'));
  }

  /** Every stored context, natural order of names (the default context is not stored). */
  list(): ContextMeta[] {
    const out: ContextMeta[] = [];
    const walk = (dir: string, rel: string): void => {
      let ents;
      try {
        ents = readdirSync(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of ents) {
        if (!e.isDirectory()) continue;
        const sub = join(dir, e.name);
        const meta = join(sub, 'meta.json');
        let isCtx = false;
        try {
          isCtx = !statSync(meta).isDirectory();
        } catch {
          isCtx = false;
        }
        if (isCtx) {
          try {
            out.push(parseMeta(readFileSync(meta, 'utf8'), meta));
          } catch (err) {
            throw new StoreError(`failed to read metadata: ${(err as Error).message}`);
          }
        }
        walk(sub, rel ? `${rel}/${e.name}` : e.name);
      }
    };
    walk(this.metaRoot, '');
    return out.sort((a, b) => naturalCompare(a.Name, b.Name));
  }

  createOrUpdate(c: ContextMeta): void {
    const dir = this.metaDir(c.Name);
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    atomicWrite(join(dir, 'meta.json'), metaJSON(c), 0o644);
  }

  remove(name: string): void {
    rmSync(this.metaDir(name), { recursive: true, force: true });
    rmSync(this.tlsDir(name), { recursive: true, force: true });
  }

  listTls(name: string): TlsListing {
    const dir = this.tlsDir(name);
    const out: TlsListing = {};
    let eps;
    try {
      eps = readdirSync(dir, { withFileTypes: true });
    } catch {
      return out;
    }
    for (const ep of eps.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (!ep.isDirectory()) continue;
      let files;
      try {
        files = readdirSync(join(dir, ep.name), { withFileTypes: true });
      } catch {
        continue;
      }
      out[ep.name] = files.filter((f) => !f.isDirectory()).map((f) => f.name).sort();
    }
    return out;
  }

  tlsData(name: string): TlsData {
    const out: TlsData = {};
    for (const [ep, files] of Object.entries(this.listTls(name))) {
      out[ep] = {};
      for (const f of files) out[ep][f] = readFileSync(join(this.tlsDir(name), ep, f));
    }
    return out;
  }

  /** ResetTLSMaterial: the context's TLS files become exactly `data` */
  resetTls(name: string, data: TlsData | undefined): void {
    rmSync(this.tlsDir(name), { recursive: true, force: true });
    for (const [ep, files] of Object.entries(data ?? {})) this.writeTls(name, ep, files);
  }

  /** ResetEndpointTLSMaterial */
  resetEndpointTls(name: string, ep: string, files: Record<string, Buffer> | undefined): void {
    rmSync(join(this.tlsDir(name), ep), { recursive: true, force: true });
    if (files) this.writeTls(name, ep, files);
  }

  private writeTls(name: string, ep: string, files: Record<string, Buffer>): void {
    mkdirSync(join(this.configDir, 'contexts'), { recursive: true, mode: 0o755 });
    const dir = join(this.tlsDir(name), ep);
    for (const [f, bytes] of Object.entries(files)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      atomicWrite(join(dir, f), bytes, 0o600);
    }
  }
}

function atomicWrite(file: string, data: string | Buffer, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode });
  renameSync(tmp, file);
}
