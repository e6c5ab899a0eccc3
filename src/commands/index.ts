import type { CommandNode } from '../cli/command.js';
import { registerSystemCommands } from './system/index.js';
import { registerContainerCommands } from './container/index.js';
import { registerImage } from './image/register.js';
import { registerRegistry } from './registry/register.js';
import { registerVolume } from './volume/register.js';
import { registerNetwork } from './network/register.js';
import { registerCompose } from './compose/index.js';

/** Build the whole command tree under the root. Each group registers its own verbs and legacy aliases. */
export function registerCommands(root: CommandNode): void {
  registerContainerCommands(root);
  const image = root.addGroup({ name: 'image', short: 'Manage images' });
  registerImage(image, root);
  registerRegistry(image, root);
  registerVolume(root.addGroup({ name: 'volume', short: 'Manage volumes' }), root);
  registerNetwork(root.addGroup({ name: 'network', short: 'Manage networks' }), root);
  registerSystemCommands(root);
  registerCompose(root);
  // a group with no verbs yet is not listed (only what exists is)
  for (let i = root.children.length - 1; i >= 0; i--) {
    const c = root.children[i];
    if (c.isGroup && c.children.length === 0) root.children.splice(i, 1);
  }
  // docker's order for the Common Commands section
  const order = ['run', 'exec', 'ps', 'build', 'pull', 'push', 'images', 'login', 'logout', 'search', 'version', 'info'];
  const rank = (n: CommandNode): number => (n.category === 'common' ? order.indexOf(n.name) : order.length);
  root.children.sort((a, b) => rank(a) - rank(b));
}
