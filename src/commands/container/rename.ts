import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';

export const spec = dockerSpec<Record<string, never>>('container rename', { args: exactArgs(2), run: runRename });

export async function runRename(cli: Cli, _o: Record<string, never>, [oldName, newName]: string[]): Promise<void> {
  const name = newName.trim();
  if (!oldName.trim() || !name) throw new StatusError('Error: neither old nor new names may be empty', 1);
  const engine = await cli.engine();
  try {
    await engine.json({ method: 'POST', path: `/containers/${encodeURIComponent(oldName)}/rename`, query: { name } });
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    cli.warn(e.message + '\n');
    throw new StatusError(`Error: failed to rename container named ${oldName}`, 1);
  }
}
