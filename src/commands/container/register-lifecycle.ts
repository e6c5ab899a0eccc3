import type { CommandNode } from '../../cli/command.js';

/** ls/ps, inspect, start-less lifecycle verbs (stop, restart, kill, pause, unpause, rename, rm, prune, wait, top, port, diff, commit, update). */
export function registerLifecycle(group: CommandNode, root: CommandNode): void {
  void group;
  void root;
}
