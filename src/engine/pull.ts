/**
 * Pulling an image with docker's output: used by `pull` and by run/create when the image is missing.
 * pullImage(cli, ref, { out, quiet, platform }) prints the progress to out (stdout for pull, stderr
 * for run) and docker's closing lines come from the engine's own messages.
 */
import { Writable } from 'node:stream';
import type { Cli } from '../cli/cli.js';
import { StatusError } from '../cli/errors.js';
import { displayJSONMessages, JSONMessageError } from '../stream/progress.js';
import { encodeAuth, getAuth, authKey } from './auth.js';
import { familiarName, type Reference } from './refs.js';

export interface PullOptions {
  out: Writable;
  isTerminal: boolean;
  quiet?: boolean;
  platform?: string;
  allTags?: boolean;
}

export async function pullImage(cli: Cli, ref: Reference, o: PullOptions): Promise<void> {
  const engine = await cli.engine();
  const auth = getAuth(cli, authKey(ref.domain));
  const query: Record<string, unknown> = {
    fromImage: ref.domain === 'docker.io' ? familiarName(ref) : ref.name,
    tag: ref.digest ?? (o.allTags ? undefined : ref.tag ?? 'latest'),
    platform: o.platform || undefined,
  };
  const res = await engine.stream({ method: 'POST', path: '/images/create', query, registryAuth: encodeAuth(auth) });
  const sink = o.quiet ? new Writable({ write: (_c, _e, cb) => cb() }) : o.out;
  try {
    await displayJSONMessages(res, sink, { isTerminal: o.isTerminal && !o.quiet, width: cli.out.columns });
  } catch (e) {
    if (e instanceof JSONMessageError) throw new StatusError(e.message, 1);
    throw e;
  }
}
