import type { CommandNode } from '../../cli/command.js';
import { registerLifecycle } from './register-lifecycle.js';
import { registerIo } from './register-io.js';
import { registerRun } from './register-run.js';

export function registerContainerCommands(root: CommandNode): void {
  const group = root.addGroup({ name: 'container', short: 'Manage containers' });
  registerRun(group, root);
  registerLifecycle(group, root);
  registerIo(group, root);
}
