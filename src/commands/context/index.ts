import type { CommandNode } from '../../cli/command.js';
import * as create from './create.js';
import * as exp from './export.js';
import * as imp from './import.js';
import * as inspect from './inspect.js';
import * as ls from './ls.js';
import * as rm from './rm.js';
import * as show from './show.js';
import * as update from './update.js';
import * as use from './use.js';

/** docker context create/export/import/inspect/ls/rm/show/update/use */
export function registerContext(root: CommandNode): void {
  const group = root.addGroup({ name: 'context', short: 'Manage contexts' });
  for (const m of [create, exp, imp, inspect, ls, rm, show, update, use]) m.register(group);
}
