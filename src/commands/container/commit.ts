import type { Cli } from '../../cli/cli.js';
import { rangeArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { splitRepoTag } from '../../engine/refs.js';

export interface CommitOptions {
  author: string;
  change: string[];
  message: string;
  pause: boolean;
}

export const spec = dockerSpec<CommitOptions>('container commit', { args: rangeArgs(1, 2), run: runCommit });

export async function runCommit(cli: Cli, o: CommitOptions, [name, ref]: string[]): Promise<void> {
  const engine = await cli.engine();
  let repo: string | undefined;
  let tag: string | undefined;
  if (ref) {
    const r = splitRepoTag(ref);
    if (r instanceof Error) throw new StatusError(r.message, 1);
    repo = r.repo;
    tag = r.tag;
  }
  const query: Record<string, unknown> = { container: name, repo, tag, comment: o.message || undefined, author: o.author || undefined, pause: o.pause ? '1' : '0' };
  if (o.change.length) query.changes = o.change;
  const r = await engine.json<{ Id: string }>({ method: 'POST', path: '/commit', query, body: {} });
  cli.print(r.Id + '\n');
}
