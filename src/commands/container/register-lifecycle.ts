import type { CommandNode } from '../../cli/command.js';
import * as ls from './ls.js';
import * as inspect from './inspect.js';
import * as stop from './stop.js';
import * as restart from './restart.js';
import * as kill from './kill.js';
import * as pause from './pause.js';
import * as unpause from './unpause.js';
import * as rename from './rename.js';
import * as rm from './rm.js';
import * as prune from './prune.js';
import * as wait from './wait.js';
import * as top from './top.js';
import * as port from './port.js';
import * as diff from './diff.js';
import * as commit from './commit.js';
import * as update from './update.js';
import * as generic from '../inspect.js';

/** ls/ps, inspect and the lifecycle verbs, with docker's top-level legacy aliases. */
export function registerLifecycle(group: CommandNode, root: CommandNode): void {
  root.addLegacy('ps', ls.register(group), 'common');
  inspect.register(group);
  generic.register(root);
  for (const [m, legacy] of [
    [stop, 'stop'], [restart, 'restart'], [kill, 'kill'], [pause, 'pause'], [unpause, 'unpause'], [rename, 'rename'],
    [rm, 'rm'], [wait, 'wait'], [top, 'top'], [port, 'port'], [diff, 'diff'], [commit, 'commit'], [update, 'update'],
  ] as const) {
    root.addLegacy(legacy, m.register(group));
  }
  prune.register(group);
}
