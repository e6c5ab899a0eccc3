import type { Cli } from '../../cli/cli.js';
import { maxArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { runHelper } from '../../engine/auth.js';
import { serverKey } from './login.js';

export const spec = dockerSpec<Record<string, never>>('logout', { args: maxArgs(1), run: runLogout });

export async function runLogout(cli: Cli, _o: Record<string, never>, [server]: string[]): Promise<void> {
  const key = serverKey(server);
  const file = cli.config.file;
  cli.print(`Removing login credentials for ${key === 'https://index.docker.io/v1/' ? key : key}\n`);
  const helper = file.credHelpers?.[key] ?? file.credsStore;
  if (helper) runHelper(cli, helper, 'erase', key);
  if (file.auths && key in file.auths) {
    delete file.auths[key];
    cli.config.save();
  }
}
