import type { Cli } from '../../cli/cli.js';
import { exactArgs, type Invocation } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { pullImage } from '../../engine/pull.js';
import { pushPullReference } from '../../engine/refs.js';
import { refuseContentTrust } from '../../engine/trust.js';

export interface PullOptions {
  allTags: boolean;
  disableContentTrust: boolean;
  platform: string;
  quiet: boolean;
}

export const spec = dockerSpec<PullOptions>('image pull', { args: exactArgs(1), run: runPull });

export async function runPull(cli: Cli, o: PullOptions, [name]: string[], inv?: Invocation): Promise<void> {
  refuseContentTrust(cli, o.disableContentTrust, inv?.changed);
  const resolved = pushPullReference(name, o.allTags);
  if (resolved instanceof Error) throw new StatusError(resolved.message, 1);
  const { ref } = resolved;
  if (resolved.defaulted && !o.quiet) cli.print('Using default tag: latest\n');
  await pullImage(cli, ref, { out: cli.out.stream, isTerminal: cli.out.isTTY, quiet: o.quiet, platform: o.platform, allTags: o.allTags });
  cli.print(`${ref.name}${o.allTags ? '' : ref.digest ? `@${ref.digest}` : `:${ref.tag}`}\n`);
}
