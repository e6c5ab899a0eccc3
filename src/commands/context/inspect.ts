import type { Cli } from '../../cli/cli.js';
import { anyArgs, type CommandNode } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { goJSON, metaJSON, DEFAULT_CONTEXT } from '../../cli/contextstore.js';
import { printInspected } from '../inspect-common.js';
import { contextStore, getMeta, getTls } from './common.js';

export interface ContextInspectOptions {
  format: string;
}

export const spec = dockerSpec<ContextInspectOptions>('context inspect', { args: anyArgs, run: runContextInspect });

export function register(parent: CommandNode): CommandNode {
  return parent.add(spec);
}

export async function runContextInspect(cli: Cli, o: ContextInspectOptions, args: string[]): Promise<void> {
  const names = args.length ? args : [cli.currentContext];
  if (names[0] === '') throw new StatusError('no context specified', 1);
  await printInspected(cli, names, o.format, async (name) => {
    const meta = getMeta(cli, name);
    const tls = getTls(cli, name);
    const listing: Record<string, string[]> = {};
    for (const [ep, files] of Object.entries(tls)) listing[ep] = Object.keys(files).sort();
    const store = contextStore(cli);
    const storage = name === DEFAULT_CONTEXT
      ? { MetadataPath: '<IN MEMORY>', TLSPath: '<IN MEMORY>' }
      : { MetadataPath: store.metaDir(name), TLSPath: store.tlsDir(name) };
    const metaText = metaJSON(meta);
    const raw = metaText.slice(0, -1) + `${metaText.length > 2 ? ',' : ''}"TLSMaterial":${goJSON(listing)},"Storage":${goJSON(storage, false)}}`;
    return { kind: 'context' as never, raw, value: JSON.parse(raw) };
  });
}
