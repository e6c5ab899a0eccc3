/** docker/cli's clientContextContext: the rows of `docker context ls`. */
import { GoStruct } from '../template/values.js';
import { ellipsis } from '../humanize.js';
import type { ListFormat } from '../list.js';

export interface ClientContext {
  Name: string;
  Description: string;
  DockerEndpoint: string;
  Current: boolean;
  Error: string;
}

export const CONTEXT_FORMAT: ListFormat = {
  defaultTable: 'table {{.Name}}{{if .Current}} *{{end}}\t{{.Description}}\t{{.DockerEndpoint}}\t{{.Error}}',
  quiet: '{{.Name}}',
  headers: { Name: 'NAME', Description: 'DESCRIPTION', DockerEndpoint: 'DOCKER ENDPOINT', Error: 'ERROR' },
};

export function clientContext(c: ClientContext): GoStruct {
  const err = (): string => ellipsis(c.Error, 45);
  return new GoStruct('*formatter.clientContextContext', [], {
    Name: () => c.Name,
    Description: () => c.Description,
    DockerEndpoint: () => c.DockerEndpoint,
    Current: () => c.Current,
    Error: err,
  }, () => ({ Current: c.Current, Description: c.Description, DockerEndpoint: c.DockerEndpoint, Error: err(), Name: c.Name }));
}
