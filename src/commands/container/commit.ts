import type { Cli } from '../../cli/cli.js';
import { rangeArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { optionalRepoTag } from '../../engine/refs.js';

export interface CommitOptions {
  author: string;
  change: string[];
  message: string;
  pause: boolean;
}

export const spec = dockerSpec<CommitOptions>('container commit', { args: rangeArgs(1, 2), run: runCommit });

export async function runCommit(cli: Cli, o: CommitOptions, [name, ref]: string[]): Promise<void> {
  const engine = await cli.engine();
  const rt = optionalRepoTag(ref);
  if (rt instanceof Error) throw new StatusError(rt.message, 1);
  const query: Record<string, unknown> = { container: name, repo: rt.repo, tag: rt.tag, comment: o.message || undefined, author: o.author || undefined, pause: o.pause ? '1' : '0' };
  if (o.change.length) query.changes = o.change;
  const r = await engine.json<{ Id: string }>({ method: 'POST', path: '/commit', query, body: {} });
  cli.print(r.Id + '\n');
}
