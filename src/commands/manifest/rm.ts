import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { ManifestStore, normalizeRef } from './store.js';

export type ManifestRmOptions = Record<string, never>;

export const spec = dockerSpec<ManifestRmOptions>('manifest rm', { args: minArgs(1), run: runManifestRm });

export async function runManifestRm(cli: Cli, _o: ManifestRmOptions, targets: string[]): Promise<void> {
  const store = new ManifestStore(cli);
  const errs: string[] = [];
  for (const t of targets) {
    try {
      const ref = normalizeRef(t);
      store.getList(ref);
      store.remove(ref);
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
      errs.push(e.message);
    }
  }
  if (errs.length) throw new StatusError(errs.join('\n'), 1);
}
