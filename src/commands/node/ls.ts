import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { filtersQuery } from '../../cli/filters.js';
import { nodeContext, NODE_FORMAT } from '../../format/contexts/swarm.js';
import { listFormat, printList } from '../print-list.js';

export interface NodeLsOptions {
  filter: string[];
  format: string;
  quiet: boolean;
}

export const spec = dockerSpec<NodeLsOptions>('node ls', { aliases: ['list'], args: noArgs, run: runNodeLs });

export async function runNodeLs(cli: Cli, o: NodeLsOptions): Promise<void> {
  const engine = await cli.engine();
  const nodes = await engine.json<any[]>({ path: '/nodes', query: { filters: filtersQuery(o.filter) } });
  const info = await engine.json<any>({ path: '/info' });
  // docker sorts by hostname, natural order
  nodes.sort((a, b) => String(a.Description?.Hostname ?? '').localeCompare(String(b.Description?.Hostname ?? ''), undefined, { numeric: true }));
  const tls = info.Swarm?.Cluster?.TLSInfo;
  printList(cli, listFormat(o.format, cli.config.file.nodesFormat as string | undefined, o.quiet, '{{.ID}}'), nodes.map((n) => nodeContext(n, info.Swarm?.NodeID, tls)), NODE_FORMAT);
}
