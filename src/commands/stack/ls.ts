import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { stackContext, STACK_FORMAT } from '../../format/contexts/swarm.js';
import { listFormat, printList } from '../print-list.js';
import { LABEL_NAMESPACE } from './convert.js';

export interface StackLsOptions {
  format: string;
}

export const spec = dockerSpec<StackLsOptions>('stack ls', { aliases: ['list'], args: noArgs, run: runStackLs });

export async function runStackLs(cli: Cli, o: StackLsOptions): Promise<void> {
  const engine = await cli.engine();
  const services = await engine.json<any[]>({ path: '/services', query: { filters: JSON.stringify({ label: { [LABEL_NAMESPACE]: true } }) } });
  const count = new Map<string, number>();
  for (const s of services) {
    const ns = s.Spec.Labels?.[LABEL_NAMESPACE];
    if (ns !== undefined) count.set(ns, (count.get(ns) ?? 0) + 1);
  }
  const names = [...count.keys()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  printList(cli, listFormat(o.format, cli.config.file.stackFormat as string | undefined, false, '{{.Name}}'), names.map((n) => stackContext(n, count.get(n)!)), STACK_FORMAT);
}
