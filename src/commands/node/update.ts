import type { Cli } from '../../cli/cli.js';
import { exactArgs, type Invocation } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { keyValues } from '../../cli/keyvalues.js';
import { updateNode } from './common.js';

export interface NodeUpdateOptions {
  availability: string;
  labelAdd: string[];
  labelRm: string[];
  role: string;
}

export const spec = dockerSpec<NodeUpdateOptions>('node update', { args: exactArgs(1), run: runNodeUpdate });

export async function runNodeUpdate(cli: Cli, o: NodeUpdateOptions, [id]: string[], inv: Invocation): Promise<void> {
  const engine = await cli.engine();
  await updateNode(engine, id, (n) => {
    const s = n.Spec;
    if (inv.changed.has('role')) {
      if (o.role !== 'worker' && o.role !== 'manager') throw new StatusError(`invalid role ${o.role}, only worker and manager are supported`, 1);
      s.Role = o.role;
    }
    if (inv.changed.has('availability')) {
      if (!['active', 'pause', 'drain'].includes(o.availability)) throw new StatusError(`invalid availability ${o.availability}, only active, drain and pause are supported`, 1);
      s.Availability = o.availability;
    }
    if (o.labelAdd.length) s.Labels = { ...(s.Labels ?? {}), ...keyValues(o.labelAdd) };
    for (const k of o.labelRm) {
      if (!s.Labels || !(k in s.Labels)) throw new StatusError(`key ${k} doesn't exist in node's labels`, 1);
      delete s.Labels[k];
    }
  });
  cli.print(id + '\n');
}
