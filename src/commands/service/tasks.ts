import type { Cli } from '../../cli/cli.js';
import type { EngineClient as Engine } from '../../cli/engine-client.js';
import { listFormat, printList } from '../print-list.js';
import { taskContext, TASK_FORMAT } from '../../format/contexts/swarm.js';
import { IdResolver } from './resolve.js';

/** task.Print: tasks named service.slot (or service.node), grouped by slot, newest first, history rows indented. */
export async function printTasks(cli: Cli, engine: Engine, tasks: any[], noResolve: boolean, trunc: boolean, quiet: boolean, format: string): Promise<void> {
  const r = new IdResolver(engine, noResolve);
  const named: { t: any; name: string }[] = [];
  for (const t of tasks) {
    const svc = await r.resolve('service', t.ServiceID);
    named.push({ t, name: t.Slot ? `${svc}.${t.Slot}` : `${svc}.${t.NodeID}` });
  }
  // sort.Stable by name, then most recently created first
  named.sort((a, b) => (a.name !== b.name ? (a.name < b.name ? -1 : 1) : Date.parse(b.t.CreatedAt) - Date.parse(a.t.CreatedAt)));
  const f = listFormat(format, cli.config.file.tasksFormat as string | undefined, quiet, '{{.ID}}');
  const isTable = f.startsWith('table');
  let prev = '';
  const rows = [];
  for (const { t, name } of named) {
    const shown = name === prev && isTable ? ` \\_ ${name}` : name;
    prev = name;
    rows.push(taskContext(t, shown, await r.resolve('node', t.NodeID), trunc));
  }
  printList(cli, f, rows, TASK_FORMAT);
}
