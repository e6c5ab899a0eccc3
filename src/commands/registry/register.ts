import type { CommandNode } from '../../cli/command.js';
import * as pull from './pull.js';
import * as push from './push.js';
import * as login from './login.js';
import * as logout from './logout.js';
import * as search from './search.js';

/** pull and push (image group and top level), login, logout, search (top level). */
export function registerRegistry(group: CommandNode, root: CommandNode): void {
  root.addLegacy('pull', pull.register(group), 'common');
  root.addLegacy('push', push.register(group), 'common');
  login.register(root);
  logout.register(root);
  search.register(root);
}
