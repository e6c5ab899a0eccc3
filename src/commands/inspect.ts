import type { Cli } from '../cli/cli.js';
import { minArgs } from '../cli/command.js';
import { dockerSpec } from '../cli/dockerhelp.js';
import { StatusError } from '../cli/errors.js';
import { inspectAny, inspectObject, type ObjectKind } from '../engine/inspect.js';
import { printInspected } from './print-inspected.js';

export interface InspectOptions {
  format: string;
  size: boolean;
  type: string;
}

const KINDS = ['config', 'container', 'image', 'network', 'node', 'plugin', 'secret', 'service', 'task', 'volume'];

export const spec = dockerSpec<InspectOptions>('inspect', { args: minArgs(1), run: runInspect });

export async function runInspect(cli: Cli, o: InspectOptions, names: string[]): Promise<void> {
  if (o.type && !KINDS.includes(o.type)) {
    throw new StatusError(`unknown type: "${o.type}": must be one of ${KINDS.map((k) => `"${k}"`).join(', ')}`, 1);
  }
  const engine = await cli.engine();
  await printInspected(cli, names, o.format, async (n) => {
    const r = o.type ? await inspectObject(engine, o.type as ObjectKind, n, o.size) : await inspectAny(engine, n, o.size);
    if (!r) throw new Error(`Error: No such object: ${n}`);
    // docker warns, for each object found, when --size does not apply to its kind
    if (o.size && r.kind !== 'container') cli.warn(`WARNING: --size ignored for ${r.kind}\n`);
    return r;
  });
}
