import type { CommandNode } from '../../cli/command.js';

/** run, create, start, exec, attach. */
export function registerRun(group: CommandNode, root: CommandNode): void {
  void group;
  void root;
}
