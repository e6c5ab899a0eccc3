import type { Cli } from '../../cli/cli.js';
import { exactArgs, type Invocation } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { authKey, encodeAuth, getAuth } from '../../engine/auth.js';
import { familiarString, withDefaultTag } from '../../engine/refs.js';
import { refuseContentTrust } from '../../engine/trust.js';
import { parseRef, pluginPath, showProgress, trimName } from './common.js';

export interface PluginPushOptions {
  disableContentTrust: boolean;
}

export const spec = dockerSpec<PluginPushOptions>('plugin push', { args: exactArgs(1), run: runPluginPush });

export async function runPluginPush(cli: Cli, o: PluginPushOptions, [name]: string[], inv?: Invocation): Promise<void> {
  const parsed = parseRef(name);
  if (parsed.digest) throw new StatusError(`invalid name: ${name}`, 1);
  const ref = withDefaultTag(parsed);
  refuseContentTrust(cli, o.disableContentTrust, inv?.changed, 'signing');
  const engine = await cli.engine();
  const res = await engine.stream({
    method: 'POST',
    path: pluginPath(trimName(familiarString(ref)), '/push'),
    registryAuth: encodeAuth(getAuth(cli, authKey(ref.domain))),
  });
  await showProgress(cli, res);
}
