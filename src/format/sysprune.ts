/** docker system prune: the confirmation message and the per-kind reports. */

export function systemPruneWarning(all: boolean, volumes: boolean, filters: Record<string, Record<string, boolean>>): string {
  const warnings = ['all stopped containers', 'all networks not used by at least one container'];
  if (volumes) warnings.push('all anonymous volumes not used by at least one container');
  if (all) warnings.push('all images without at least one container associated to them', 'all build cache');
  else warnings.push('all dangling images', 'unused build cache');
  const shown: string[] = [];
  for (const name of ['label', 'label!', 'until']) for (const v of Object.keys(filters[name] ?? {})) shown.push(`${name}=${v}`);
  shown.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let out = 'WARNING! This will remove:\n' + warnings.map((w) => `  - ${w}\n`).join('');
  if (shown.length) out += '\n  Items to be pruned will be filtered with:\n' + shown.map((f) => `  - ${f}\n`).join('');
  return out + '\nAre you sure you want to continue?';
}

/** A kind's report ("Deleted Containers:" and one line each), followed by the blank line docker's Fprintln adds. */
export function kindReport(title: string, lines: string[]): string {
  return lines.length ? `${title}\n${lines.map((l) => l + '\n').join('')}\n` : '';
}
