import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { naturalCompare } from '../../cli/contextstore.js';
import { clientContext, CONTEXT_FORMAT, type ClientContext } from '../../format/contexts/context.js';
import { printList } from '../print-list.js';
import { contextStore, defaultContext, descriptionOf, storeFailure } from './common.js';

export interface ContextLsOptions {
  format: string;
  quiet: boolean;
}

export const spec = dockerSpec<ContextLsOptions>('context ls', { aliases: ['list'], args: noArgs, run: runContextLs });


export const HOST_OVERRIDE_WARNING = 'Warning: DOCKER_HOST environment variable overrides the active context. To use a context, either set the global --context flag, or unset DOCKER_HOST environment variable.\n';

export function runContextLs(cli: Cli, o: ContextLsOptions): void {
  const store = contextStore(cli);
  let metas;
  try {
    metas = [...store.list(), defaultContext(cli).meta];
  } catch (e) {
    throw storeFailure(e);
  }
  const current = cli.currentContext;
  let found = false;
  const rows: ClientContext[] = metas.map((m) => {
    const isCurrent = m.Name === current;
    if (isCurrent) found = true;
    const ep = m.Endpoints.docker as { Host?: string } | undefined;
    return {
      Name: m.Name,
      Current: isCurrent,
      Description: descriptionOf(m),
      DockerEndpoint: ep?.Host ?? '',
      Error: ep ? '' : 'cannot find docker endpoint in context',
    };
  });
  if (!found) {
    let err = '';
    try {
      store.get(current);
    } catch (e) {
      err = (e as Error).message;
    }
    rows.push({ Name: current, Current: true, Description: '', DockerEndpoint: '', Error: err });
  }
  rows.sort((a, b) => naturalCompare(a.Name, b.Name));
  printList(cli, o.quiet ? '{{.Name}}' : o.format || 'table', rows.map(clientContext), CONTEXT_FORMAT);
  if (cli.env.DOCKER_HOST) cli.warn(HOST_OVERRIDE_WARNING);
}
