import type { CommandNode } from '../../cli/command.js';
import * as logs from './logs.js';

/** logs (and the other stream verbs), with docker's top-level legacy aliases. */
export function registerIo(group: CommandNode, root: CommandNode): void {
  root.addLegacy('logs', logs.register(group));
}
