/** What run and create share: creating the container (pulling a missing image) with docker's errors. */
import { existsSync, writeFileSync } from 'node:fs';
import type { Cli } from '../../cli/cli.js';
import type { Invocation } from '../../cli/command.js';
import { StatusError } from '../../cli/errors.js';
import { DaemonError } from '../../engine/errors.js';
import { pullImage } from '../../engine/pull.js';
import { familiarString, parseNormalized, withDefaultTag, type Reference } from '../../engine/refs.js';
import { RunOptionError } from '../../cli/opts.js';
import { buildCreate, type RunOptions } from './run-options.js';
import { refuseContentTrust } from '../../engine/trust.js';

/** docker's "docker: <msg>\n\nRun 'docker run --help' for more information" with its status. */
export function runError(cli: Cli, verb: string, message: string, status = 125): StatusError {
  return new StatusError(`${cli.name}: ${message}\n\nRun '${cli.name} ${verb} --help' for more information`, status);
}

export async function createContainer(cli: Cli, o: RunOptions, args: string[], inv: Invocation, verb: string): Promise<string> {
  refuseContentTrust(cli, (o as { disableContentTrust?: boolean }).disableContentTrust ?? true, inv.changed);
  // what goes wrong after the flags were parsed: run reports it with its help line and 125 (docker's
  // reportError), create returns it as it is (status 1)
  const failed = (message: string): StatusError => (verb === 'run' ? runError(cli, verb, message) : new StatusError(message, 1));
  let ref: Reference;
  try {
    ref = parseNormalized(args[0]);
  } catch (e) {
    throw failed((e as Error).message);
  }
  let req;
  try {
    req = buildCreate(o, args, inv.changed, cli.env);
  } catch (e) {
    if (e instanceof RunOptionError) throw runError(cli, verb, e.message);
    throw e;
  }
  if (o.cidfile && existsSync(o.cidfile)) {
    throw failed(`container ID file found, make sure the other container isn't running or delete ${o.cidfile}`);
  }
  if (!['missing', 'always', 'never', ''].includes(o.pull)) {
    throw runError(cli, verb, `invalid pull option: '${o.pull}': must be one of "always", "missing" or "never"`);
  }
  const engine = await cli.engine();
  const pull = async (): Promise<void> => {
    try {
      await pullImage(cli, withDefaultTag(ref), { out: cli.err.stream, isTerminal: cli.err.isTTY, quiet: o.quiet, platform: o.platform });
    } catch (e) {
      if (e instanceof StatusError) throw failed(e.message);
      throw e;
    }
  };
  if (o.pull === 'always') await pull();
  const create = (): Promise<{ Id: string; Warnings?: string[] | null }> =>
    engine.json({ method: 'POST', path: '/containers/create', query: { name: req.name, platform: req.platform }, body: req.body });
  let created;
  try {
    created = await create();
  } catch (e) {
    if (e instanceof DaemonError && e.statusCode === 404 && /^No such image/.test(e.daemonMessage) && o.pull !== 'never') {
      cli.warn(`Unable to find image '${familiarString(withDefaultTag(ref))}' locally\n`);
      await pull();
      try {
        created = await create();
      } catch (e2) {
        if (e2 instanceof StatusError) throw failed(e2.message);
        throw e2;
      }
    } else if (e instanceof StatusError) {
      throw failed(e.message);
    } else throw e;
  }
  for (const w of created.Warnings ?? []) cli.warn(`WARNING: ${w}\n`);
  if (o.cidfile) writeFileSync(o.cidfile, created.Id);
  return created.Id;
}
