import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { stackObjects } from './common.js';

export interface StackRmOptions {
  detach: boolean;
}

export const spec = dockerSpec<StackRmOptions>('stack rm', { aliases: ['remove', 'down'], args: minArgs(1), run: runStackRm });

export async function runStackRm(cli: Cli, o: StackRmOptions, stacks: string[]): Promise<void> {
  const engine = await cli.engine();
  const errs: string[] = [];
  for (const ns of stacks) {
    const services = (await stackObjects(engine, 'services', ns)).sort((a, b) => (a.Spec.Name < b.Spec.Name ? -1 : 1));
    const networks = (await stackObjects(engine, 'networks', ns)).sort((a, b) => (a.Name < b.Name ? -1 : 1));
    const secrets = (await stackObjects(engine, 'secrets', ns)).sort((a, b) => (a.Spec.Name < b.Spec.Name ? -1 : 1));
    const configs = (await stackObjects(engine, 'configs', ns)).sort((a, b) => (a.Spec.Name < b.Spec.Name ? -1 : 1));
    if (services.length + networks.length + secrets.length + configs.length === 0) {
      cli.warn(`Nothing found in stack: ${ns}\n`);
      continue;
    }
    let failed = false;
    const remove = async (what: string, name: string, id: string, path: string): Promise<void> => {
      cli.print(`Removing ${what} ${name}\n`);
      try {
        await engine.json({ method: 'DELETE', path });
      } catch (e) {
        cli.warn(`Failed to remove ${what} ${id}: ${(e as Error).message}`); // docker's Fprintf has no newline
        failed = true;
      }
    };
    for (const s of services) await remove('service', s.Spec.Name, s.ID, `/services/${s.ID}`);
    for (const s of secrets) await remove('secret', s.Spec.Name, s.ID, `/secrets/${s.ID}`);
    for (const s of configs) await remove('config', s.Spec.Name, s.ID, `/configs/${s.ID}`);
    for (const n of networks) await remove('network', n.Name, n.Id, `/networks/${n.Id}`);
    if (failed) {
      errs.push('failed to remove some resources from stack: ' + ns);
      continue;
    }
    if (!o.detach) {
      for (;;) {
        const tasks = await stackObjects(engine, 'tasks', ns);
        if (!tasks.some((t) => !['complete', 'shutdown', 'failed', 'rejected', 'orphaned', 'remove'].includes(t.Status?.State))) break;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }
  if (errs.length) throw new StatusError(errs.join('\n'), 1);
}
