import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';

export interface SwarmUnlockKeyOptions {
  quiet: boolean;
  rotate: boolean;
}

export const spec = dockerSpec<SwarmUnlockKeyOptions>('swarm unlock-key', { args: noArgs, run: runUnlockKey });

/** docker's printUnlockCommand */
export function unlockCommandText(key: string): string {
  return `To unlock a swarm manager after it restarts, run the \`docker swarm unlock\`\ncommand and provide the following key:\n\n    ${key}\n\nRemember to store this key in a password manager, since without it you\nwill not be able to restart the manager.\n`;
}

export async function runUnlockKey(cli: Cli, o: SwarmUnlockKeyOptions): Promise<void> {
  const engine = await cli.engine();
  if (o.rotate) {
    const sw = await engine.json<any>({ path: '/swarm' });
    if (!sw.Spec?.EncryptionConfig?.AutoLockManagers) throw new StatusError('cannot rotate because autolock is not turned on', 1);
    await engine.json({ method: 'POST', path: '/swarm/update', query: { version: sw.Version.Index, rotateWorkerToken: 'false', rotateManagerToken: 'false', rotateManagerUnlockKey: 'true' }, body: sw.Spec });
    if (!o.quiet) cli.print('Successfully rotated manager unlock key.\n');
  }
  let key: string;
  try {
    key = (await engine.json<{ UnlockKey: string }>({ path: '/swarm/unlockkey' })).UnlockKey;
  } catch (e) {
    throw new StatusError(`could not fetch unlock key: ${(e as Error).message}`, 1);
  }
  if (!key) throw new StatusError('no unlock key is set', 1);
  cli.print(o.quiet ? key + '\n' : unlockCommandText(key));
}
