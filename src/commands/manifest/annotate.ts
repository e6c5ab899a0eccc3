import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { ManifestStore, NotFound, normalizeRef } from './store.js';

export interface ManifestAnnotateOptions {
  arch: string;
  os: string;
  osFeatures: string[];
  osVersion: string;
  variant: string;
}

export const spec = dockerSpec<ManifestAnnotateOptions>('manifest annotate', { args: exactArgs(2), run: runManifestAnnotate });

/** docker's validOSArches */
const VALID = new Set([
  'darwin/386', 'darwin/amd64', 'darwin/arm', 'darwin/arm64', 'dragonfly/amd64', 'freebsd/386', 'freebsd/amd64', 'freebsd/arm',
  'linux/386', 'linux/amd64', 'linux/arm', 'linux/arm64', 'linux/ppc64le', 'linux/mips64', 'linux/mips64le', 'linux/riscv64', 'linux/s390x',
  'netbsd/386', 'netbsd/amd64', 'netbsd/arm', 'openbsd/386', 'openbsd/amd64', 'openbsd/arm', 'plan9/386', 'plan9/amd64',
  'solaris/amd64', 'windows/386', 'windows/amd64',
]);

export async function runManifestAnnotate(cli: Cli, o: ManifestAnnotateOptions, [listArg, imageArg]: string[]): Promise<void> {
  const wrap = (what: string, s: string) => {
    try {
      return normalizeRef(s);
    } catch (e) {
      throw new StatusError(`annotate: error parsing name for ${what} ${s}: ${(e as Error).message}`, 1);
    }
  };
  const list = wrap('manifest list', listArg);
  const image = wrap('manifest', imageArg);
  const store = new ManifestStore(cli);
  let m;
  try {
    m = store.get(list, image);
  } catch (e) {
    if (e instanceof NotFound) throw new StatusError(`manifest for image ${imageArg} does not exist in ${listArg}`, 1);
    throw e;
  }
  const p = (m.Descriptor.platform ??= { architecture: '', os: '' });
  if (o.os) p.os = o.os;
  if (o.arch) p.architecture = o.arch;
  // a string slice: each value is comma-separated (pflag reads it as CSV)
  for (const f of o.osFeatures.flatMap((v) => v.split(','))) {
    const fs = (p['os.features'] ??= []);
    if (!fs.includes(f)) fs.push(f);
  }
  if (o.variant) p.variant = o.variant;
  if (o.osVersion) p['os.version'] = o.osVersion;
  if (!VALID.has(`${p.os}/${p.architecture}`)) throw new StatusError(`manifest entry for image has unsupported os/arch combination: ${o.os}/${o.arch}`, 1);
  store.save(list, image, m);
}
