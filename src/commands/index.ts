import type { CommandNode } from '../cli/command.js';
import { registerSystemCommands } from './system/index.js';

/** Build the whole command tree under the root. Each group registers its own verbs and legacy aliases. */
export function registerCommands(root: CommandNode): void {
  registerSystemCommands(root);
  // docker's order for the Common Commands section
  const order = ['run', 'exec', 'ps', 'build', 'pull', 'push', 'images', 'login', 'logout', 'search', 'version', 'info'];
  const rank = (n: CommandNode): number => (n.category === 'common' ? order.indexOf(n.name) : order.length);
  root.children.sort((a, b) => rank(a) - rank(b));
}
