import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { contextStore, dockerEndpointFrom, parseStringToString, storeFailure, validateContextName } from './common.js';

export interface ContextUpdateOptions {
  description: string;
  docker: Record<string, string> | undefined;
}

export const spec = dockerSpec<ContextUpdateOptions>('context update', {
  args: exactArgs(1),
  flags: { docker: { kind: 'custom', default: undefined, parse: parseStringToString } },
  run: runContextUpdate,
});


export function runContextUpdate(cli: Cli, o: ContextUpdateOptions, [name]: string[]): void {
  const store = contextStore(cli);
  let meta;
  try {
    validateContextName(name);
    meta = store.get(name);
  } catch (e) {
    throw storeFailure(e);
  }
  const md: Record<string, unknown> = { ...(meta.Metadata ?? {}) };
  if (o.description) md.Description = o.description;
  meta.Metadata = md;
  let tls: Record<string, Buffer> | undefined;
  const docker = o.docker !== undefined;
  if (docker) {
    const ep = dockerEndpointFrom(cli, o.docker!);
    meta.Endpoints = { ...meta.Endpoints, docker: ep.meta };
    tls = ep.tls;
  }
  store.createOrUpdate(meta);
  if (docker) store.resetEndpointTls(name, 'docker', tls);
  cli.print(name + '\n');
  cli.warn(`Successfully updated context ${JSON.stringify(name)}\n`);
}
