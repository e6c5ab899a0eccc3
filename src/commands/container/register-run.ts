import type { CommandNode } from '../../cli/command.js';
import * as run from './run.js';
import * as create from './create.js';
import * as start from './start.js';
import * as exec from './exec.js';
import * as attach from './attach.js';

/** run, create, start, exec, attach, with docker's top-level legacy aliases. */
export function registerRun(group: CommandNode, root: CommandNode): void {
  root.addLegacy('run', run.register(group), 'common');
  root.addLegacy('exec', exec.register(group), 'common');
  root.addLegacy('create', create.register(group));
  root.addLegacy('start', start.register(group));
  root.addLegacy('attach', attach.register(group));
}
