import type { CommandNode } from '../../cli/command.js';
import * as create from './create.js';
import * as ls from './ls.js';
import * as inspect from './inspect.js';
import * as rm from './rm.js';
import * as prune from './prune.js';
import * as connect from './connect.js';
import * as disconnect from './disconnect.js';

/** network create/ls/inspect/rm/prune/connect/disconnect. */
export function registerNetwork(group: CommandNode, _root: CommandNode): void {
  for (const m of [create, ls, inspect, rm, prune, connect, disconnect]) m.register(group);
}
