import type { CommandNode } from '../../cli/command.js';

/** pull, push (under image and top level), login, logout, search. */
export function registerRegistry(group: CommandNode, root: CommandNode): void {
  void group;
  void root;
}
