import type { Cli } from '../../cli/cli.js';
import { rangeArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { goIndent, goMarshal } from '../../go/json.js';
import { ManifestError, RegistryClient, type ImageManifest } from '../../engine/distribution.js';
import { manifestJSON, manifestListBytes, ManifestStore, NotFound, normalizeRef, registry } from './store.js';

export interface ManifestInspectOptions {
  insecure: boolean;
  verbose: boolean;
}

export const spec = dockerSpec<ManifestInspectOptions>('manifest inspect', { args: rangeArgs(1, 2), run: runManifestInspect });

export async function runManifestInspect(cli: Cli, o: ManifestInspectOptions, args: string[]): Promise<void> {
  const [listArg, refArg] = args.length === 2 ? args : [undefined, args[0]];
  const ref = normalizeRef(refArg);
  const store = new ManifestStore(cli);
  if (listArg !== undefined) {
    const list = normalizeRef(listArg);
    printManifest(cli, store.get(list, ref), o.verbose);
    return;
  }
  try {
    printList(cli, store.getList(ref), o.verbose);
    return;
  } catch (e) {
    if (!(e instanceof NotFound)) throw e;
  }
  const client = new RegistryClient(cli, o.insecure);
  try {
    printManifest(cli, await client.getManifest(ref), o.verbose);
    return;
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    // then a manifest list
  }
  try {
    printList(cli, await registry(() => client.getManifestList(ref)), o.verbose);
  } catch (e) {
    if (e instanceof ManifestError) throw new StatusError(e.message, 1);
    throw e;
  }
}

function printManifest(cli: Cli, m: ImageManifest, verbose: boolean): void {
  if (!verbose) cli.print(goIndent(m.Raw.toString('utf8'), '', '\t') + '\n');
  else cli.print(goIndent(goMarshal(manifestJSON(m)), '', '\t') + '\n');
}

function printList(cli: Cli, list: ImageManifest[], verbose: boolean): void {
  if (!verbose) cli.print(manifestListBytes(list).toString('utf8') + '\n');
  else cli.print(goIndent(goMarshal(list.map(manifestJSON)), '', '\t') + '\n');
}
