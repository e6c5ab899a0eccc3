import type { Cli } from '../../cli/cli.js';
import { rangeArgs, type Invocation } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError, errorMessage } from '../../cli/errors.js';
import { inspectObject } from '../../engine/inspect.js';
import { familiarString, withDefaultTag } from '../../engine/refs.js';
import { refuseContentTrust } from '../../engine/trust.js';
import { confirm } from '../../stream/prompt.js';
import { buildPullConfig, checkPrivileges, parseRef, pluginPath, refString, showProgress, trimName } from './common.js';

export interface PluginUpgradeOptions {
  disableContentTrust: boolean;
  grantAllPermissions: boolean;
  skipRemoteCheck: boolean;
}

export const spec = dockerSpec<PluginUpgradeOptions>('plugin upgrade', { args: rangeArgs(1, 2), run: runPluginUpgrade });

export async function runPluginUpgrade(cli: Cli, o: PluginUpgradeOptions, [local, remoteArg]: string[], inv?: Invocation): Promise<void> {
  const engine = await cli.engine();
  let p: { Name: string; Enabled: boolean; PluginReference: string };
  try {
    p = (await inspectObject(engine, 'plugin', trimName(local))).value as typeof p;
  } catch (e) {
    throw new StatusError(`error reading plugin data: ${errorMessage(e)}`, 1);
  }
  if (p.Enabled) throw new StatusError('the plugin must be disabled before upgrading', 1);
  const remoteText = remoteArg || p.PluginReference;
  let remote;
  try {
    remote = withDefaultTag(parseRef(remoteText));
  } catch (e) {
    throw new StatusError(`error parsing remote upgrade image reference: ${errorMessage(e)}`, 1);
  }
  let old;
  try {
    old = withDefaultTag(parseRef(p.PluginReference));
  } catch (e) {
    throw new StatusError(`error parsing current image reference: ${errorMessage(e)}`, 1);
  }
  cli.print(`Upgrading plugin ${p.Name} from ${familiarString(old)} to ${familiarString(remote)}\n`);
  if (!o.skipRemoteCheck && refString(remote) !== refString(old)) {
    if (!(await confirm(cli, 'Plugin images do not match, are you sure?'))) throw new StatusError('plugin upgrade has been cancelled', 1);
  }
  refuseContentTrust(cli, o.disableContentTrust, inv?.changed);
  const pc = buildPullConfig(cli, remoteText);
  const privileges = await checkPrivileges(cli, engine, pc, o.grantAllPermissions, remoteText);
  let res;
  try {
    res = await engine.stream({ method: 'POST', path: pluginPath(p.Name, '/upgrade'), query: { remote: pc.remote }, body: privileges, registryAuth: pc.registryAuth });
  } catch (e) {
    if (/target is image/.test(errorMessage(e))) throw new StatusError(`${errorMessage(e)} - Use \`docker image pull\``, 1);
    throw e;
  }
  await showProgress(cli, res);
  cli.print(`Upgraded plugin ${p.Name} to ${remoteText}\n`);
}
