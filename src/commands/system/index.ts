import type { CommandNode } from '../../cli/command.js';
import { register as registerVersion } from './version.js';
import { register as registerInfo } from './info.js';
import { register as registerEvents } from './events.js';
import { register as registerPrune } from './prune.js';
import { register as registerDf } from './df.js';
import { register as registerDialStdio } from './dialstdio.js';

/** `docker system ...`, the top-level `version`, and `info` (= `system info`), `events` (= `system events`). */
export function registerSystemCommands(root: CommandNode): void {
  registerVersion(root).category = 'common';
  const system = root.addGroup({ name: 'system', short: 'Manage Docker' });
  root.addLegacy('info', registerInfo(system), 'common');
  root.addLegacy('events', registerEvents(system));
  registerDf(system);
  registerPrune(system);
  registerDialStdio(system);
}
