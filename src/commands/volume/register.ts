import type { CommandNode } from '../../cli/command.js';
import * as create from './create.js';
import * as ls from './ls.js';
import * as inspect from './inspect.js';
import * as rm from './rm.js';
import * as prune from './prune.js';

/** volume create/ls/inspect/rm/prune. */
export function registerVolume(group: CommandNode, _root: CommandNode): void {
  for (const m of [create, ls, inspect, rm, prune]) m.register(group);
}
