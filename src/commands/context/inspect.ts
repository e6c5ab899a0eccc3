import type { Cli } from '../../cli/cli.js';
import { anyArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { goJSON, metaJSON, DEFAULT_CONTEXT } from '../../cli/contextstore.js';
import { printInspected } from '../print-inspected.js';
import { GoMap, GoNil, GoStruct, type GoValue } from '../../format/template/values.js';
import { contextStore, getMeta, getTls } from './common.js';

export interface ContextInspectOptions {
  format: string;
}

export const spec = dockerSpec<ContextInspectOptions>('context inspect', { args: anyArgs, run: runContextInspect });


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
    // in a template `.Metadata` is the embedded store.Metadata itself (the shallower field wins in Go),
    // while JSON flattens it
    const flat = JSON.parse(raw) as Record<string, unknown>;
    const inner = JSON.parse(metaText) as Record<string, unknown>;
    // decoded as docker's store decodes them: Metadata into command.DockerContext, each endpoint into
    // its EndpointMeta (Host, SkipTLSVerify)
    const md = (inner.Metadata ?? {}) as Record<string, unknown>;
    const extra = Object.fromEntries(Object.entries(md).filter(([k]) => k !== 'Description')) as Record<string, GoValue>;
    const dockerContext = new GoStruct('command.DockerContext', [
      ['Description', typeof md.Description === 'string' ? md.Description : ''],
      ['AdditionalFields', Object.keys(extra).length ? new GoMap(extra, 'map[string]interface {}') : new GoNil('map[string]interface {}', 'map')],
    ], {}, () => ({ ...(typeof md.Description === 'string' && md.Description ? { Description: md.Description } : {}), ...extra }));
    // (DockerContext's MarshalJSON: Description when set, the additional fields flattened beside it)
    const eps: Record<string, GoValue> = {};
    for (const [k, v] of Object.entries((inner.Endpoints ?? {}) as Record<string, Record<string, unknown>>)) {
      eps[k] = new GoStruct('docker.EndpointMeta', [['Host', typeof v?.Host === 'string' ? v.Host : ''], ['SkipTLSVerify', v?.SkipTLSVerify === true]]);
    }
    const endpoints = new GoMap(eps, 'map[string]interface {}');
    const innerStruct = new GoStruct('store.Metadata', [['Name', meta.Name], ['Metadata', dockerContext], ['Endpoints', endpoints]]);
    const fields: [string, GoValue][] = [['Name', meta.Name], ['Metadata', innerStruct], ['Endpoints', endpoints], ['TLSMaterial', flat.TLSMaterial as GoValue], ['Storage', flat.Storage as GoValue]];
    return { kind: 'context' as never, raw, value: new GoStruct('context.contextWithTLSListing', fields, {}, () => flat) };
  });
}
