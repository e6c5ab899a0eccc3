import { Writable } from 'node:stream';
import type { Cli } from '../../cli/cli.js';
import { exactArgs, type Invocation } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { authKey, encodeAuth, getAuth } from '../../engine/auth.js';
import { familiarName, pushPullReference } from '../../engine/refs.js';
import { refuseContentTrust } from '../../engine/trust.js';
import { displayJSONMessages, JSONMessageError } from '../../stream/progress.js';

export interface PushOptions {
  allTags: boolean;
  disableContentTrust: boolean;
  platform: string;
  quiet: boolean;
}

export const spec = dockerSpec<PushOptions>('image push', { args: exactArgs(1), run: runPush });

export async function runPush(cli: Cli, o: PushOptions, [name]: string[], inv?: Invocation): Promise<void> {
  refuseContentTrust(cli, o.disableContentTrust, inv?.changed, 'signing');
  const resolved = pushPullReference(name, o.allTags);
  if (resolved instanceof Error) throw new StatusError(resolved.message, 1);
  const { ref } = resolved;
  if (resolved.defaulted && !o.quiet) cli.print('Using default tag: latest\n');
  const engine = await cli.engine();
  const image = ref.domain === 'docker.io' ? familiarName(ref) : ref.name;
  const res = await engine.stream({
    method: 'POST',
    path: `/images/${encodeURIComponent(image)}/push`,
    query: { tag: o.allTags ? undefined : ref.tag, platform: o.platform || undefined },
    registryAuth: encodeAuth(getAuth(cli, authKey(ref.domain))),
  });
  const sink = o.quiet ? new Writable({ write: (_c, _e, cb) => cb() }) : cli.out.stream;
  try {
    await displayJSONMessages(res, sink, { isTerminal: cli.out.isTTY && !o.quiet, width: cli.out.columns });
  } catch (e) {
    if (e instanceof JSONMessageError) throw new StatusError(e.message, 1);
    throw e;
  }
  if (o.quiet) cli.print(`${ref.name}${ref.tag ? `:${ref.tag}` : ''}\n`);
}
