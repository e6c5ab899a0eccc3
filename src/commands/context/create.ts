import type { Cli } from '../../cli/cli.js';
import { exactArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import type { ContextMeta, TlsData } from '../../cli/contextstore.js';
import { checkNameForCreation, contextStore, descriptionOf, dockerEndpointFrom, getMeta, getTls, parseStringToString } from './common.js';

export interface ContextCreateOptions {
  description: string;
  docker: Record<string, string> | undefined;
  from: string;
}

export const spec = dockerSpec<ContextCreateOptions>('context create', {
  args: exactArgs(1),
  flags: { docker: { kind: 'custom', default: undefined, parse: parseStringToString } },
  run: runContextCreate,
});


export function runContextCreate(cli: Cli, o: ContextCreateOptions, [name]: string[]): void {
  checkNameForCreation(cli, name);
  const store = contextStore(cli);
  let meta: ContextMeta;
  let tls: TlsData = {};
  if (o.from !== '' || o.docker === undefined) {
    // a copy of another context (the current one when neither --from nor --docker is given)
    if (o.docker && Object.keys(o.docker).length) throw new StatusError('cannot use --docker flag when --from is set', 1);
    const from = o.from || cli.currentContext;
    const src = getMeta(cli, from);
    const md: Record<string, unknown> = { ...(src.Metadata ?? {}) };
    const desc = o.description || descriptionOf(src);
    if (desc) md.Description = desc;
    else delete md.Description;
    meta = { Name: name, Metadata: md, Endpoints: src.Endpoints };
    tls = getTls(cli, from);
  } else {
    const ep = dockerEndpointFrom(cli, o.docker);
    meta = { Name: name, Metadata: o.description ? { Description: o.description } : {}, Endpoints: { docker: ep.meta } };
    if (ep.tls) tls = { docker: ep.tls };
  }
  store.createOrUpdate(meta);
  store.resetTls(name, tls);
  cli.print(name + '\n');
  cli.warn(`Successfully created context ${JSON.stringify(name)}\n`);
}
