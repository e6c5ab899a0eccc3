/** What plugin install and upgrade share: docker's buildPullConfig, the privileges check and prompt. */
import type { Cli } from '../../cli/cli.js';
import { StatusError } from '../../cli/errors.js';
import type { EngineClient } from '../../cli/engine-client.js';
import { authKey, encodeAuth, getAuth } from '../../engine/auth.js';
import { parseNormalized, type Reference } from '../../engine/refs.js';
import { confirm } from '../../stream/prompt.js';
import { displayJSONMessages, JSONMessageError } from '../../stream/progress.js';
import type { IncomingMessage } from 'node:http';

/** The engine's path for a plugin name (the name may hold '/' and ':', as docker sends it). */
export function pluginPath(name: string, suffix = ''): string {
  return `/plugins/${name.split('/').map(encodeURIComponent).join('/')}${suffix}`;
}

/** moby client's trimID: an empty name is refused before any request. */
export function trimName(name: string): string {
  const n = name.trim();
  if (n === '') throw new StatusError('invalid plugin name or ID: value is empty', 1);
  return n;
}

export function parseRef(s: string): Reference {
  try {
    return parseNormalized(s);
  } catch (e) {
    throw new StatusError((e as Error).message, 1);
  }
}

/** reference.Named's String(): the full name with its tag and digest. */
export function refString(r: Reference): string {
  return r.name + (r.tag ? `:${r.tag}` : '') + (r.digest ? `@${r.digest}` : '');
}

export interface PullConfig {
  remote: string;
  registryAuth: string;
}

export function buildPullConfig(cli: Cli, remote: string): PullConfig {
  const ref = parseRef(remote);
  return { remote: refString(ref), registryAuth: encodeAuth(getAuth(cli, authKey(ref.domain))) };
}

interface Privilege {
  Name: string;
  Description?: string;
  Value: string[] | null;
}

/**
 * GET /plugins/privileges, then docker's prompt ("Plugin X is requesting the following privileges")
 * unless --grant-all-permissions; a "no" is docker's permission-denied error.
 */
export async function checkPrivileges(cli: Cli, engine: EngineClient, pc: PullConfig, grantAll: boolean, shownName: string): Promise<Privilege[]> {
  const privileges = (await engine.json<Privilege[] | null>({ path: '/plugins/privileges', query: { remote: pc.remote }, registryAuth: pc.registryAuth })) ?? [];
  if (!grantAll && privileges.length > 0) {
    let text = `Plugin ${JSON.stringify(shownName)} is requesting the following privileges:\n`;
    for (const p of privileges) text += ` - ${p.Name}: [${(p.Value ?? []).join(' ')}]\n`;
    cli.print(text);
    if (!(await confirm(cli, 'Do you grant the above permissions?'))) {
      throw new StatusError(`permission denied while installing plugin ${pc.remote}`, 1);
    }
  }
  return privileges;
}

/** jsonstream.Display of a pull or push stream on stdout. */
export async function showProgress(cli: Cli, res: IncomingMessage): Promise<void> {
  try {
    await displayJSONMessages(res, cli.out.stream, { isTerminal: cli.out.isTTY, width: cli.out.columns });
  } catch (e) {
    if (e instanceof JSONMessageError) throw new StatusError(e.message, 1);
    throw e;
  }
}
