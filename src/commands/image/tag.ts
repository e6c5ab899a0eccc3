import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { parseNormalized, splitRepoTag } from '../../engine/refs.js';

export const spec = dockerSpec<Record<string, never>>('image tag', { args: exactArgs(2), run: runTag });

export async function runTag(cli: Cli, _o: Record<string, never>, [source, target]: string[]): Promise<void> {
  // the API client's checks (ParseAnyReference on the source, ParseNormalizedNamed on the target)
  const wrap = (ref: string, e: Error): StatusError => new StatusError(`Error parsing reference: "${ref}" is not a valid repository/tag: ${e.message}`, 1);
  if (!/^[a-f0-9]{64}$/.test(source) && !/^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/.test(source)) {
    try {
      parseNormalized(source);
    } catch (e) {
      throw wrap(source, e as Error);
    }
  }
  const t = splitRepoTag(target);
  if (t instanceof Error) throw t.message.startsWith('refusing') ? new StatusError(t.message, 1) : wrap(target, t);
  const engine = await cli.engine();
  await engine.json({ method: 'POST', path: `/images/${encodeURIComponent(source)}/tag`, query: { repo: t.repo, tag: t.tag ?? 'latest' } });
}
