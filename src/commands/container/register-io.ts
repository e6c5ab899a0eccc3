import type { CommandNode } from '../../cli/command.js';
import * as logs from './logs.js';
import * as cp from './cp.js';
import * as exp from './export.js';
import * as stats from './stats.js';

/** logs, cp, export, with docker's top-level legacy aliases. */
export function registerIo(group: CommandNode, root: CommandNode): void {
  root.addLegacy('logs', logs.register(group));
  root.addLegacy('cp', cp.register(group));
  root.addLegacy('export', exp.register(group));
  root.addLegacy('stats', stats.register(group));
}
