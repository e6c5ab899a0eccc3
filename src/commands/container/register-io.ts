import type { CommandNode } from '../../cli/command.js';

/** logs, cp, export, stats. */
export function registerIo(group: CommandNode, root: CommandNode): void {
  void group;
  void root;
}
