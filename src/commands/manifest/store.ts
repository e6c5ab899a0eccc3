/** docker's local manifest store (cli/manifest/store): <config dir>/manifests/<list>/<manifest>, JSON files. */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cli } from '../../cli/cli.js';
import { StatusError } from '../../cli/errors.js';
import { goIndent, goMarshal } from '../../go/json.js';
import { MT_LIST, platformOf, RegistryClient, RegistryHTTPError, refString, sha256, type ImageManifest, type Platform } from '../../engine/distribution.js';
import { parseNormalized, withDefaultTag, type Reference } from '../../engine/refs.js';

/** normalizeReference: :latest unless a digest is given; the parse error is docker's text. */
export function normalizeRef(s: string): Reference {
  try {
    const r = parseNormalized(s);
    return r.digest ? r : withDefaultTag(r);
  } catch (e) {
    throw new StatusError((e as Error).message, 1);
  }
}

const safe = (ref: string): string => ref.replace(/:/g, '-').replace(/\//g, '_');

export class NotFound extends StatusError {
  constructor(ref: string) {
    super(`No such manifest: ${ref}`, 1);
  }
}

/** The platform with ocispec.Platform's field order. */
function ordered(p: Platform): Platform {
  const o: Platform = { architecture: p.architecture ?? '', os: p.os ?? '' };
  if (p['os.version']) o['os.version'] = p['os.version'];
  if (p['os.features']?.length) o['os.features'] = p['os.features'];
  if (p.variant) o.variant = p.variant;
  return o;
}

/** types.ImageManifest as Go marshals it (before indenting). */
export function manifestJSON(m: ImageManifest): unknown {
  const d: Record<string, unknown> = { mediaType: m.Descriptor.mediaType, digest: m.Descriptor.digest, size: m.Descriptor.size };
  if (m.Descriptor.platform) d.platform = ordered(m.Descriptor.platform);
  const o: Record<string, unknown> = { Ref: m.Ref, Descriptor: d };
  if (m.Raw.length) o.Raw = m.Raw.toString('base64');
  o[m.kind] = JSON.parse(m.Raw.toString('utf8'));
  return o;
}

export class ManifestStore {
  readonly root: string;
  constructor(cli: Cli) {
    this.root = join(cli.config.dir, 'manifests');
  }

  private read(ref: string, file: string): ImageManifest {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFound(ref);
      throw e;
    }
    const j = JSON.parse(text) as {
      Ref: string; Descriptor: ImageManifest['Descriptor']; Raw?: string; SchemaV2Manifest?: unknown; OCIManifest?: unknown;
      Digest?: string; Platform?: Platform;
    };
    const kind = j.OCIManifest !== undefined && j.SchemaV2Manifest === undefined ? 'OCIManifest' : 'SchemaV2Manifest';
    const raw = j.Raw ? Buffer.from(j.Raw, 'base64') : Buffer.from(JSON.stringify(j[kind]));
    const m: ImageManifest = { Ref: j.Ref, Descriptor: j.Descriptor ?? { mediaType: '', digest: '', size: 0 }, Raw: raw, kind };
    if (j.Digest) {
      const dg = sha256(raw);
      if (dg !== j.Digest) throw new StatusError(`invalid manifest file ${file}: image manifest digest mismatch (${j.Digest} != ${dg})`, 1);
      m.Descriptor = { mediaType: (JSON.parse(raw.toString('utf8')) as { mediaType: string }).mediaType, digest: j.Digest, size: raw.length };
      if (j.Platform) m.Descriptor.platform = platformOf(j.Platform as unknown as Record<string, unknown>);
    }
    if (m.Descriptor.platform) m.Descriptor.platform = ordered(m.Descriptor.platform);
    return m;
  }

  get(list: Reference, manifest: Reference): ImageManifest {
    return this.read(refString(manifest), join(this.root, safe(refString(list)), safe(refString(manifest))));
  }

  getList(list: Reference): ImageManifest[] {
    const dir = join(this.root, safe(refString(list)));
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFound(refString(list));
      throw e;
    }
    return names.map((n) => this.read(refString(list), join(dir, n)));
  }

  exists(list: Reference): boolean {
    return existsSync(join(this.root, safe(refString(list))));
  }

  save(list: Reference, manifest: Reference, m: ImageManifest): void {
    const dir = join(this.root, safe(refString(list)));
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    writeFileSync(join(dir, safe(refString(manifest))), goMarshal(manifestJSON(m)), { mode: 0o644 });
  }

  remove(list: Reference): void {
    rmSync(join(this.root, safe(refString(list))), { recursive: true, force: true });
  }
}

/** manifestlist.FromDescriptors, canonical bytes (MarshalIndent with three spaces). */
export function manifestListBytes(manifests: ImageManifest[]): Buffer {
  const list = {
    schemaVersion: 2,
    mediaType: MT_LIST,
    manifests: manifests.map((m) => ({
      mediaType: m.Descriptor.mediaType,
      size: m.Descriptor.size,
      digest: m.Descriptor.digest,
      platform: ordered(m.Descriptor.platform ?? { architecture: '', os: '' }),
    })),
  };
  return Buffer.from(goIndent(goMarshal(list), '', '   '));
}

/** getManifest: the list's local copy first, else the registry's. */
export async function getManifest(store: ManifestStore, client: RegistryClient, list: Reference, ref: Reference): Promise<ImageManifest> {
  try {
    const m = store.get(list, ref);
    if (m.Raw.length) return m;
  } catch (e) {
    if (!(e instanceof NotFound)) throw e;
  }
  return registry(() => client.getManifest(ref));
}

/** A registry lookup whose failures are docker's texts. */
export async function registry<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof StatusError) throw e;
    if (e instanceof RegistryHTTPError || e instanceof Error) throw new StatusError(e.message, 1);
    throw e;
  }
}
