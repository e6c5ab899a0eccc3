import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { RegistryClient, refString } from '../../engine/distribution.js';
import { getManifest, ManifestStore, normalizeRef } from './store.js';

export interface ManifestCreateOptions {
  amend: boolean;
  insecure: boolean;
}

export const spec = dockerSpec<ManifestCreateOptions>('manifest create', { args: minArgs(2), run: runManifestCreate });

export async function runManifestCreate(cli: Cli, o: ManifestCreateOptions, [listArg, ...refs]: string[]): Promise<void> {
  let list;
  try {
    list = normalizeRef(listArg);
  } catch (e) {
    throw new StatusError(`error parsing name for manifest list ${listArg}: ${(e as Error).message}`, 1);
  }
  const store = new ManifestStore(cli);
  if (store.exists(list) && !o.amend) throw new StatusError('refusing to amend an existing manifest list with no --amend flag', 1);
  const client = new RegistryClient(cli, o.insecure);
  for (const r of refs) {
    const ref = normalizeRef(r);
    const m = await getManifest(store, client, list, ref);
    store.save(list, ref, m);
  }
  cli.print(`Created manifest list ${refString(list)}\n`);
}
