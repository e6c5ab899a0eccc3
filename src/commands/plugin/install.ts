import type { Cli } from '../../cli/cli.js';
import { minArgs, type Invocation } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError, errorMessage } from '../../cli/errors.js';
import { familiarString, withDefaultTag } from '../../engine/refs.js';
import { refuseContentTrust } from '../../engine/trust.js';
import { buildPullConfig, checkPrivileges, parseRef, pluginPath, showProgress } from './common.js';

export interface PluginInstallOptions {
  alias: string;
  disable: boolean;
  disableContentTrust: boolean;
  grantAllPermissions: boolean;
}

export const spec = dockerSpec<PluginInstallOptions>('plugin install', { args: minArgs(1), run: runPluginInstall });

export async function runPluginInstall(cli: Cli, o: PluginInstallOptions, [remote, ...settings]: string[], inv?: Invocation): Promise<void> {
  let localName = '';
  if (o.alias) {
    const a = parseRef(o.alias);
    if (a.digest) throw new StatusError(`invalid name: ${o.alias}`, 1);
    localName = familiarString(withDefaultTag(a));
  }
  refuseContentTrust(cli, o.disableContentTrust, inv?.changed);
  const pc = buildPullConfig(cli, remote);
  const engine = await cli.engine();
  const privileges = await checkPrivileges(cli, engine, pc, o.grantAllPermissions, remote);
  const res = await engine.stream({
    method: 'POST',
    path: '/plugins/pull',
    query: { remote: pc.remote, name: localName },
    body: privileges,
    registryAuth: pc.registryAuth,
  });
  const name = String(res.headers['docker-plugin-name'] ?? localName);
  try {
    await showProgress(cli, res);
  } catch (e) {
    if (/\(image\) when fetching/.test(errorMessage(e))) throw new StatusError(`${errorMessage(e)} - Use "docker image pull"`, 1);
    throw e;
  }
  // then, as docker's client does: the settings, and enable unless --disable (removed again if that fails)
  try {
    if (settings.length > 0) await engine.json({ method: 'POST', path: pluginPath(name, '/set'), body: settings });
    if (!o.disable) await engine.json({ method: 'POST', path: pluginPath(name, '/enable'), query: { timeout: '0' } });
  } catch (e) {
    await engine.json({ method: 'DELETE', path: pluginPath(name) }).catch(() => undefined);
    throw e;
  }
  cli.print(`Installed plugin ${remote}\n`);
}
