import type { CommandNode } from '../../cli/command.js';

/** images/ls, image inspect, history, tag, rmi, prune, import, save, load, build. */
export function registerImage(group: CommandNode, root: CommandNode): void {
  void group;
  void root;
}
