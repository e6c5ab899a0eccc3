import type { Cli } from '../../cli/cli.js';
import { maxArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { keyValues } from '../../cli/keyvalues.js';

export interface VolumeCreateOptions {
  driver: string;
  label: string[];
  opt: string[];
  name: string;
}

const base = dockerSpec<VolumeCreateOptions>('volume create', { args: maxArgs(1), run: runVolumeCreate });
/** docker keeps a hidden --name flag (the old way of naming the volume). */
export const spec = { ...base, flags: [...(base.flags ?? []), { name: 'name', kind: 'string' as const, typeName: 'string', usage: 'Specify volume name', hidden: true }] };

export async function runVolumeCreate(cli: Cli, o: VolumeCreateOptions, [arg]: string[]): Promise<void> {
  if (arg && o.name && arg !== o.name) throw new StatusError(`conflicting options: cannot specify a volume-name through both --name and as a positional arg`, 1);
  const engine = await cli.engine();
  const v = await engine.json<{ Name: string }>({
    method: 'POST',
    path: '/volumes/create',
    body: { Name: arg || o.name || '', Driver: o.driver || 'local', DriverOpts: keyValues(o.opt), Labels: keyValues(o.label) },
  });
  cli.print(v.Name + '\n');
}
