import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { ManifestError, RegistryClient, refString } from '../../engine/distribution.js';
import { parseNormalized } from '../../engine/refs.js';
import { manifestListBytes, ManifestStore, normalizeRef } from './store.js';
import { MT_LIST } from '../../engine/distribution.js';

export interface ManifestPushOptions {
  insecure: boolean;
  purge: boolean;
}

export const spec = dockerSpec<ManifestPushOptions>('manifest push', { args: exactArgs(1), run: runManifestPush });

export async function runManifestPush(cli: Cli, o: ManifestPushOptions, [target]: string[]): Promise<void> {
  const ref = normalizeRef(target);
  const store = new ManifestStore(cli);
  const manifests = store.getList(ref);
  if (manifests.length === 0) throw new StatusError(`${refString(ref)} not found`, 1);
  // buildManifestList: every entry needs a platform and the target's registry
  for (const m of manifests) {
    const p = m.Descriptor.platform;
    if (!p || !p.architecture || !p.os) throw new StatusError(`manifest ${m.Ref} must have an OS and Architecture to be pushed to a registry`, 1);
    const src = parseNormalized(m.Ref);
    if (src.domain !== ref.domain) throw new StatusError(`cannot use source images from a different registry than the target image: ${src.domain} != ${ref.domain}`, 1);
    if (!/^sha256:[0-9a-f]{64}$/.test(m.Descriptor.digest)) throw new StatusError(`digest parse of image "${m.Ref}" failed: invalid checksum digest format`, 1);
  }
  const listBody = manifestListBytes(manifests);
  const client = new RegistryClient(cli, o.insecure);
  const others = manifests.filter((m) => parseNormalized(m.Ref).path !== ref.path);
  try {
    // the blobs of manifests from other repositories are mounted into the target's, then those manifests put there
    for (const m of others) {
      const from = parseNormalized(m.Ref).path;
      const parsed = JSON.parse(m.Raw.toString('utf8')) as { config?: { digest: string }; layers?: { digest: string }[] };
      const blobs = [parsed.config?.digest, ...(parsed.layers ?? []).map((l) => l.digest)].filter((d): d is string => !!d);
      for (const b of blobs) {
        const mounted = await client.mountBlob(ref, from, b);
        if (!mounted && m.Descriptor.platform?.os !== 'windows') throw new StatusError(`error mounting ${from}@${b} to ${refString(ref)}`, 1);
      }
    }
    for (const m of others) {
      const dg = await client.putManifest({ ...ref, tag: undefined, digest: m.Descriptor.digest }, m.Descriptor.digest, m.Descriptor.mediaType, m.Raw);
      cli.print(`Pushed ref ${ref.name}@${m.Descriptor.digest} with digest: ${dg}\n`);
    }
    const dg = await client.putManifest(ref, ref.digest ?? ref.tag ?? 'latest', MT_LIST, listBody);
    cli.print(dg + '\n');
  } catch (e) {
    if (e instanceof ManifestError) throw new StatusError(e.message, 1);
    throw e;
  }
  if (o.purge) store.remove(ref);
}
