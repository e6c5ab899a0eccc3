import type { Cli } from '../../cli/cli.js';
import { exactArgs, type CommandNode } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { splitRepoTag } from '../../engine/refs.js';

export const spec = dockerSpec<Record<string, never>>('image tag', { args: exactArgs(2), run: runTag });

export function register(parent: CommandNode): CommandNode {
  return parent.add(spec);
}

export async function runTag(cli: Cli, _o: Record<string, never>, [source, target]: string[]): Promise<void> {
  const t = splitRepoTag(target);
  if (t instanceof Error) throw new StatusError(t.message, 1);
  const engine = await cli.engine();
  await engine.json({ method: 'POST', path: `/images/${encodeURIComponent(source)}/tag`, query: { repo: t.repo, tag: t.tag ?? 'latest' } });
}
