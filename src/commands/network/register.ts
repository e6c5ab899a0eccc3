import type { CommandNode } from '../../cli/command.js';

/** network create/ls/inspect/rm/prune/connect/disconnect. */
export function registerNetwork(group: CommandNode, root: CommandNode): void {
  void group;
  void root;
}
