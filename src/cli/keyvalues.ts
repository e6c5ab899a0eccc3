/** "k=v" option lists (--label, --opt, --log-opt, --sysctl...) as a map; a bare "k" maps to "". */
export function keyValues(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of list) {
    const i = l.indexOf('=');
    if (i < 0) out[l] = '';
    else out[l.slice(0, i)] = l.slice(i + 1);
  }
  return out;
}
