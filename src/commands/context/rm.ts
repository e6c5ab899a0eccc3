import { existsSync } from 'node:fs';
import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { contextStore } from './common.js';

export interface ContextRmOptions {
  force: boolean;
}

export const spec = dockerSpec<ContextRmOptions>('context rm', { aliases: ['remove'], args: minArgs(1), run: runContextRm });


export function runContextRm(cli: Cli, o: ContextRmOptions, names: string[]): void {
  const errs: string[] = [];
  const current = cli.currentContext;
  const store = contextStore(cli);
  for (const name of names) {
    if (name === 'default') {
      errs.push('context "default" cannot be removed');
      continue;
    }
    if (name === current) {
      if (!o.force) {
        errs.push(`context ${JSON.stringify(name)} is in use, set -f flag to force remove`);
        continue;
      }
      // back to DOCKER_HOST
      delete cli.config.file.currentContext;
      cli.config.save();
    }
    if (!o.force && !existsSync(store.metaDir(name))) {
      errs.push(`context ${JSON.stringify(name)} does not exist`);
      continue;
    }
    try {
      store.remove(name);
    } catch (e) {
      errs.push(`failed to remove context ${name}: ${(e as Error).message}`);
      continue;
    }
    cli.print(name + '\n');
  }
  if (errs.length) throw new StatusError(errs.join('\n'), 1);
}
