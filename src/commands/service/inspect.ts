import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { DaemonError } from '../../engine/errors.js';
import { servicePretty } from '../../format/contexts/swarm.js';
import { printInspected } from '../print-inspected.js';

export interface ServiceInspectOptions {
  format: string;
  pretty: boolean;
}

export const spec = dockerSpec<ServiceInspectOptions>('service inspect', { args: minArgs(1), run: runServiceInspect });

export async function runServiceInspect(cli: Cli, o: ServiceInspectOptions, names: string[]): Promise<void> {
  const engine = await cli.engine();
  if (o.pretty && o.format) throw new StatusError('--format is incompatible with human friendly format', 1);
  const get = async (n: string): Promise<string> => {
    try {
      return await engine.text({ path: `/services/${encodeURIComponent(n)}`, query: { insertDefaults: 'true' } });
    } catch (e) {
      if (e instanceof DaemonError && e.notFound) throw new StatusError(`Error: no such service: ${n}`, 1);
      throw e;
    }
  };
  if (!o.pretty && o.format !== 'pretty') {
    await printInspected(cli, names, o.format, async (n) => {
      const raw = await get(n);
      return { kind: 'service', raw, value: JSON.parse(raw) };
    });
    return;
  }
  let out = '';
  for (const n of names) {
    const s = JSON.parse(await get(n));
    const netNames: Record<string, string> = {};
    for (const net of s.Spec?.TaskTemplate?.Networks ?? []) {
      try {
        const r = await engine.json<any>({ path: `/networks/${encodeURIComponent(net.Target)}` });
        netNames[r.Id] = r.Name;
      } catch {
        // docker shows the target as it is
      }
    }
    out += servicePretty(s, netNames) + '\n';
  }
  cli.print(out);
}
