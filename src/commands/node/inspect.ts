import type { Cli } from '../../cli/cli.js';
import { minArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { DaemonError } from '../../engine/errors.js';
import { nodePretty } from '../../format/contexts/swarm.js';
import { printInspected } from '../print-inspected.js';
import { nodeReference } from './common.js';

export interface NodeInspectOptions {
  format: string;
  pretty: boolean;
}

export const spec = dockerSpec<NodeInspectOptions>('node inspect', { args: minArgs(1), run: runNodeInspect });

export async function runNodeInspect(cli: Cli, o: NodeInspectOptions, names: string[]): Promise<void> {
  if (o.pretty && o.format) throw new StatusError('--format is incompatible with human friendly format', 1);
  const engine = await cli.engine();
  const get = async (n: string): Promise<string> => {
    try {
      return await engine.text({ path: `/nodes/${encodeURIComponent(await nodeReference(engine, n))}` });
    } catch (e) {
      if (e instanceof DaemonError && e.notFound) throw new StatusError(e.message, 1);
      throw e;
    }
  };
  if (!o.pretty) {
    await printInspected(cli, names, o.format, async (n) => {
      const raw = await get(n);
      return { kind: 'node', raw, value: JSON.parse(raw) };
    });
    return;
  }
  let out = '';
  for (const n of names) out += nodePretty(JSON.parse(await get(n))) + '\n';
  cli.print(out);
}
