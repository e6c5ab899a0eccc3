import type { CommandNode } from '../../cli/command.js';
import * as ls from './ls.js';
import * as inspect from './inspect.js';
import * as history from './history.js';
import * as tag from './tag.js';
import * as rm from './rm.js';
import * as prune from './prune.js';
import * as save from './save.js';
import * as load from './load.js';
import * as imp from './import.js';
import * as build from './build.js';

/** images/ls, inspect, history, tag, rmi, prune, import, save, load (and their top-level aliases). */
export function registerImage(group: CommandNode, root: CommandNode): void {
  root.addLegacy('images', ls.register(group), 'common');
  inspect.register(group);
  prune.register(group);
  root.addLegacy('history', history.register(group));
  root.addLegacy('tag', tag.register(group));
  root.addLegacy('rmi', rm.register(group));
  root.addLegacy('save', save.register(group));
  root.addLegacy('load', load.register(group));
  root.addLegacy('import', imp.register(group));
  root.addLegacy('build', build.register(group), 'common');
}
