/**
 * A registry client of docker's manifest commands (docker/cli's cli/registry/client): the registry's
 * HTTP API v2 spoken directly, with docker's endpoint order (https first; plain http for an insecure
 * registry), Basic or Bearer-token authentication from config.json's credentials, manifests fetched
 * with their image config's platform, blobs mounted across repositories and manifests put.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { Cli } from '../cli/cli.js';
import { authKey, getAuth } from './auth.js';
import type { Reference } from './refs.js';

export const MT_SCHEMA2 = 'application/vnd.docker.distribution.manifest.v2+json';
export const MT_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const MT_OCI = 'application/vnd.oci.image.manifest.v1+json';
export const MT_OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const ACCEPT = [MT_SCHEMA2, MT_LIST, MT_OCI, MT_OCI_INDEX].join(', ');

export interface Platform {
  architecture: string;
  os: string;
  'os.version'?: string;
  'os.features'?: string[];
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
}

/** docker's types.ImageManifest. */
export interface ImageManifest {
  /** the reference's String() */
  Ref: string;
  Descriptor: Descriptor;
  Raw: Buffer;
  /** SchemaV2Manifest or OCIManifest */
  kind: 'SchemaV2Manifest' | 'OCIManifest';
}

/** A failure a registry endpoint answered: the next endpoint is tried (continueOnError). */
export class RegistryHTTPError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A failure that ends the lookup at once (e.g. "X is a manifest list"). */
export class ManifestError extends Error {}

export function refString(r: Reference): string {
  return r.name + (r.tag ? `:${r.tag}` : '') + (r.digest ? `@${r.digest}` : '');
}

export function sha256(b: Buffer): string {
  return 'sha256:' + createHash('sha256').update(b).digest('hex');
}

/** docker's insecure-by-default registries: loopback addresses (127.0.0.0/8, ::1, localhost). */
function isLoopback(domain: string): boolean {
  const host = domain.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

interface Response {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function send(url: URL, method: string, headers: Record<string, string>, body: Buffer | undefined, insecure: boolean): Promise<Response> {
  return new Promise((resolve, reject) => {
    const mod = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = mod(url, { method, headers: { 'User-Agent': 'docker/28.2.2 (tdocker)', ...headers }, rejectUnauthorized: !insecure, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

function parseChallenge(h: string): { scheme: string; params: Record<string, string> } {
  const sp = h.indexOf(' ');
  const scheme = (sp < 0 ? h : h.slice(0, sp)).toLowerCase();
  const params: Record<string, string> = {};
  for (const m of h.slice(sp + 1).matchAll(/(\w+)="([^"]*)"/g)) params[m[1].toLowerCase()] = m[2];
  return { scheme, params };
}

/** One registry host reached over one scheme, with the authorization it earned. */
class Endpoint {
  private authorization: Record<string, string> = {};

  constructor(
    private readonly cli: Cli,
    readonly base: URL,
    readonly domain: string,
    readonly insecure: boolean,
  ) {}

  async call(method: string, path: string, scope: string, o: { headers?: Record<string, string>; body?: Buffer } = {}): Promise<Response> {
    const url = new URL(path, this.base);
    let res = await send(url, method, { ...o.headers, ...(this.authorization[scope] ? { Authorization: this.authorization[scope] } : {}) }, o.body, this.insecure);
    if (res.status !== 401) return res;
    const challenge = res.headers['www-authenticate'];
    if (!challenge) return res;
    const auth = getAuth(this.cli, authKey(this.domain));
    const c = parseChallenge(String(challenge));
    if (c.scheme === 'basic') {
      if (!auth.username) return res;
      this.authorization[scope] = 'Basic ' + Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64');
    } else if (c.scheme === 'bearer' && c.params.realm) {
      const t = new URL(c.params.realm);
      if (c.params.service) t.searchParams.set('service', c.params.service);
      t.searchParams.set('scope', scope);
      const h: Record<string, string> = {};
      if (auth.username) h.Authorization = 'Basic ' + Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64');
      const tr = await send(t, 'GET', h, undefined, this.insecure);
      if (tr.status !== 200) return res;
      const j = JSON.parse(tr.body.toString('utf8')) as { token?: string; access_token?: string };
      this.authorization[scope] = `Bearer ${j.token ?? j.access_token ?? ''}`;
    } else {
      return res;
    }
    res = await send(url, method, { ...o.headers, Authorization: this.authorization[scope] }, o.body, this.insecure);
    return res;
  }
}

export class RegistryClient {
  constructor(
    private readonly cli: Cli,
    private readonly insecure: boolean,
  ) {}

  /** docker's endpoints: https, then http when the registry may be insecure */
  private endpoints(domain: string, forPush: boolean): Endpoint[] {
    const host = domain === 'docker.io' ? 'registry-1.docker.io' : domain;
    const list = [new Endpoint(this.cli, new URL(`https://${host}/`), domain, this.insecure)];
    // iterateEndpoints skips plain http unless --insecure; a push's endpoint allows the registries
    // docker deems insecure by default as well
    if (this.insecure || (forPush && isLoopback(domain))) list.push(new Endpoint(this.cli, new URL(`http://${host}/`), domain, true));
    return list;
  }

  /** Run fn against each endpoint in turn until one answers; registry errors move on to the next. */
  private async iterate<T>(ref: Reference, forPush: boolean, fn: (e: Endpoint) => Promise<T>): Promise<T> {
    for (const e of this.endpoints(ref.domain, forPush)) {
      try {
        return await fn(e);
      } catch (err) {
        // a registry's refusal, or an endpoint that does not speak its scheme: the next one is tried
        if (err instanceof ManifestError) throw err;
      }
    }
    throw new RegistryHTTPError(0, `no such manifest: ${refString(ref)}`);
  }

  private async getRaw(e: Endpoint, ref: Reference, what: string): Promise<{ raw: Buffer; mediaType: string }> {
    const res = await e.call('GET', `/v2/${ref.path}/manifests/${what}`, `repository:${ref.path}:pull`, { headers: { Accept: ACCEPT } });
    if (res.status !== 200) throw new RegistryHTTPError(res.status, `manifest ${what}: ${res.status}`);
    let mediaType = String(res.headers['content-type'] ?? '').split(';')[0].trim();
    if (!mediaType || mediaType === 'application/json') {
      try {
        mediaType = (JSON.parse(res.body.toString('utf8')) as { mediaType?: string }).mediaType ?? '';
      } catch {
        mediaType = '';
      }
    }
    return { raw: res.body, mediaType };
  }

  private async imageManifest(e: Endpoint, ref: Reference, refText: string, raw: Buffer, mediaType: string): Promise<ImageManifest> {
    const desc: Descriptor = { mediaType, digest: sha256(raw), size: raw.length };
    if (ref.digest && ref.digest !== desc.digest) throw new ManifestError(`manifest verification failed for digest ${ref.digest}`);
    const m = JSON.parse(raw.toString('utf8')) as { config?: { digest: string } };
    const cfgDigest = m.config?.digest ?? '';
    const res = await e.call('GET', `/v2/${ref.path}/blobs/${cfgDigest}`, `repository:${ref.path}:pull`);
    if (res.status !== 200) throw new RegistryHTTPError(res.status, `blob ${cfgDigest}: ${res.status}`);
    if (sha256(res.body) !== cfgDigest) throw new ManifestError(`image config verification failed for digest ${cfgDigest}`);
    const c = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
    desc.platform = platformOf(c);
    return { Ref: refText, Descriptor: desc, Raw: raw, kind: mediaType === MT_OCI ? 'OCIManifest' : 'SchemaV2Manifest' };
  }

  /** GetManifest: an image manifest (a list is an error of its own). */
  getManifest(ref: Reference): Promise<ImageManifest> {
    return this.iterate(ref, false, async (e) => {
      const { raw, mediaType } = await this.getRaw(e, ref, ref.digest ?? ref.tag ?? 'latest');
      if (mediaType === MT_LIST || mediaType === MT_OCI_INDEX) throw new ManifestError(`${refString(ref)} is a manifest list`);
      if (mediaType !== MT_SCHEMA2 && mediaType !== MT_OCI) throw new ManifestError(`${refString(ref)} is not a manifest`);
      return this.imageManifest(e, ref, refString(ref), raw, mediaType);
    });
  }

  /** GetManifestList: each manifest of a list, with the list's platform for it. */
  getManifestList(ref: Reference): Promise<ImageManifest[]> {
    return this.iterate(ref, false, async (e) => {
      const { raw, mediaType } = await this.getRaw(e, ref, ref.digest ?? ref.tag ?? 'latest');
      if (mediaType !== MT_LIST && mediaType !== MT_OCI_INDEX) throw new ManifestError(`unsupported manifest format: ${mediaType}`);
      if (ref.digest && ref.digest !== sha256(raw)) throw new ManifestError(`manifest verification failed for digest ${ref.digest}`);
      const list = JSON.parse(raw.toString('utf8')) as { manifests: (Descriptor & { platform?: Platform & { features?: string[] } })[] };
      const out: ImageManifest[] = [];
      for (const d of list.manifests ?? []) {
        const child = await this.getRaw(e, ref, d.digest);
        const text = `${ref.name}${ref.tag ? `:${ref.tag}` : ''}@${d.digest}`;
        const im = await this.imageManifest(e, { ...ref, digest: d.digest }, text, child.raw, child.mediaType);
        const p = d.platform ?? ({} as Platform);
        im.Descriptor.platform = platformOf(p as unknown as Record<string, unknown>);
        out.push(im);
      }
      return out;
    });
  }

  /** MountBlob: true when mounted (201), false when the registry opened an upload instead. */
  async mountBlob(target: Reference, fromPath: string, digest: string): Promise<boolean> {
    return this.iterate(target, true, async (e) => {
      const scope = `repository:${target.path}:pull,push repository:${fromPath}:pull`;
      const res = await e.call('POST', `/v2/${target.path}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(fromPath)}`, scope, { headers: { 'Content-Length': '0' }, body: Buffer.alloc(0) });
      if (res.status === 201) return true;
      if (res.status === 202) {
        const loc = res.headers.location;
        if (loc) await e.call('DELETE', String(loc), scope).catch(() => undefined);
        return false;
      }
      throw new RegistryHTTPError(res.status, `mount: ${res.status}`);
    });
  }

  /** PutManifest: the digest the registry gives the manifest. */
  async putManifest(target: Reference, what: string, mediaType: string, body: Buffer): Promise<string> {
    let failure = '';
    try {
      return await this.iterate(target, true, async (e) => {
        const res = await e.call('PUT', `/v2/${target.path}/manifests/${what}`, `repository:${target.path}:pull,push`, { headers: { 'Content-Type': mediaType }, body });
        if (res.status !== 201 && res.status !== 200) {
          failure = registryErrorText(res);
          throw new RegistryHTTPError(res.status, failure);
        }
        return String(res.headers['docker-content-digest'] ?? sha256(body));
      });
    } catch (e) {
      if (e instanceof ManifestError) throw e;
      throw new ManifestError(`failed to put manifest ${refString(target)}: ${failure || (e as Error).message}`);
    }
  }
}

/** The registry's error body as distribution's errcode prints it ("manifest unknown: ..."). */
function registryErrorText(res: Response): string {
  try {
    const j = JSON.parse(res.body.toString('utf8')) as { errors?: { code: string; message: string; detail?: unknown }[] };
    const e = j.errors?.[0];
    if (e) return `${e.message}`;
  } catch {
    // not the registry's JSON
  }
  return `unexpected status: ${res.status}`;
}

/** ocispec.Platform read from an image config or a list's platform (unknown fields dropped). */
export function platformOf(c: Record<string, unknown>): Platform {
  const p: Platform = { architecture: String(c.architecture ?? ''), os: String(c.os ?? '') };
  if (typeof c['os.version'] === 'string' && c['os.version']) p['os.version'] = c['os.version'];
  if (Array.isArray(c['os.features']) && c['os.features'].length) p['os.features'] = c['os.features'].map(String);
  if (typeof c.variant === 'string' && c.variant) p.variant = c.variant;
  return p;
}
