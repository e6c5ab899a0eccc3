import { humanSize } from '../go/units.js';

/** docker's prune report: the deleted list (when any), then the reclaimed space. */
export function pruneReport(title: string, deleted: string[], space: number): string {
  let out = '';
  if (deleted.length) out += `${title}\n${deleted.join('\n')}\n\n`;
  return out + `Total reclaimed space: ${humanSize(space, 4)}\n`;
}
