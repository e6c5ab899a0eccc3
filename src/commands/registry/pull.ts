import type { Cli } from '../../cli/cli.js';
import { exactArgs, type CommandNode } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { pullImage } from '../../engine/pull.js';
import { parseNormalized, type Reference } from '../../engine/refs.js';

export interface PullOptions {
  allTags: boolean;
  disableContentTrust: boolean;
  platform: string;
  quiet: boolean;
}

export const spec = dockerSpec<PullOptions>('image pull', { args: exactArgs(1), run: runPull });

export function register(parent: CommandNode): CommandNode {
  return parent.add(spec);
}

export async function runPull(cli: Cli, o: PullOptions, [name]: string[]): Promise<void> {
  let ref: Reference;
  try {
    ref = parseNormalized(name);
  } catch (e) {
    throw new StatusError((e as Error).message, 1);
  }
  if (o.allTags && (ref.tag || ref.digest)) throw new StatusError('tag can\'t be used with --all-tags/-a', 1);
  if (!o.allTags && !ref.tag && !ref.digest) {
    ref = { ...ref, tag: 'latest' };
    if (!o.quiet) cli.print('Using default tag: latest\n');
  }
  await pullImage(cli, ref, { out: cli.out.stream, isTerminal: cli.out.isTTY, quiet: o.quiet, platform: o.platform, allTags: o.allTags });
  cli.print(`${ref.name}${o.allTags ? '' : ref.digest ? `@${ref.digest}` : `:${ref.tag}`}\n`);
}
