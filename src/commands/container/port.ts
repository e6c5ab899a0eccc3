import type { Cli } from '../../cli/cli.js';
import { rangeArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { portLines, portBindings, type PortMap } from '../../format/port.js';

export const spec = dockerSpec<Record<string, never>>('container port', { args: rangeArgs(1, 2), run: runPort });

export async function runPort(cli: Cli, _o: Record<string, never>, [name, wanted]: string[]): Promise<void> {
  const engine = await cli.engine();
  const c = await engine.json<{ NetworkSettings?: { Ports?: PortMap } }>({ path: `/containers/${encodeURIComponent(name)}/json` });
  const ports = c.NetworkSettings?.Ports ?? {};
  if (wanted !== undefined) {
    const [port, proto] = wanted.split('/');
    const key = `${port}/${proto || 'tcp'}`;
    const lines = portBindings(ports[key]);
    if (!ports[key] || lines.length === 0) throw new StatusError(`Error: No public port '${wanted}' published for ${name}`, 1);
    cli.print(lines.join('\n') + '\n');
    return;
  }
  const lines = portLines(ports);
  if (lines.length) cli.print(lines.join('\n') + '\n');
}
