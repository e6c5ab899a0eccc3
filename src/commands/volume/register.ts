import type { CommandNode } from '../../cli/command.js';

/** volume create/ls/inspect/rm/prune. */
export function registerVolume(group: CommandNode, root: CommandNode): void {
  void group;
  void root;
}
