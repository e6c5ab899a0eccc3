import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { contextStore, DEFAULT_CONTEXT, storeFailure, validateContextName } from './common.js';

export type ContextUseOptions = Record<string, never>;

export const spec = dockerSpec<ContextUseOptions>('context use', { args: exactArgs(1), run: runContextUse });


export function runContextUse(cli: Cli, _o: ContextUseOptions, [name]: string[]): void {
  // config.json keeps "" for the default context
  let value = '';
  if (name !== DEFAULT_CONTEXT) {
    try {
      validateContextName(name);
      contextStore(cli).get(name);
    } catch (e) {
      throw storeFailure(e);
    }
    value = name;
  }
  const cfg = cli.config.file;
  if ((cfg.currentContext ?? '') !== value) {
    if (value) cfg.currentContext = value;
    else delete cfg.currentContext;
    cli.config.save();
  }
  cli.print(name + '\n');
  cli.warn(`Current context is now ${JSON.stringify(name)}\n`);
  if (name !== DEFAULT_CONTEXT && cli.env.DOCKER_HOST) {
    cli.warn(`Warning: DOCKER_HOST environment variable overrides the active context. To use ${JSON.stringify(name)}, either set the global --context flag, or unset DOCKER_HOST environment variable.\n`);
  }
}
