/**
 * Merging Compose models (several -f files, extends) as the Compose Specification's merge rules and
 * compose-go's override package state them, on canonical forms: mappings merge key by key,
 * `command`, `entrypoint` and `healthcheck.test` are replaced, sequences are appended and then made
 * unique by their key (ports by their whole binding, volumes and tmpfs by target, secrets and
 * configs by target, env_file by path, plain lists by value, label_file kept as appended), `!reset` drops a value and
 * `!override` replaces it whole.
 */

type Dict = Record<string, any>;
const isDict = (v: unknown): v is Dict => !!v && typeof v === 'object' && !Array.isArray(v);

/** Markers set by the YAML loader for the `!reset` and `!override` tags. */
export const RESET = Symbol('reset');
export class Override {
  constructor(readonly value: unknown) {}
}

const REPLACED = new Set(['services.*.command', 'services.*.entrypoint', 'services.*.healthcheck.test']);

function keyFor(path: string, v: any): string {
  if (path === 'services.*.ports') return `${v.host_ip ?? ''}:${v.published ?? ''}:${v.target}/${v.protocol ?? 'tcp'}:${v.mode ?? ''}`;
  if (path === 'services.*.volumes') return String(v.target);
  if (path === 'services.*.secrets') return String(v.target ?? `/run/secrets/${v.source}`);
  if (path === 'services.*.configs') return String(v.target ?? `/${v.source}`);
  if (path === 'services.*.env_file') return String(v.path);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function match(path: string, pattern: string): boolean {
  const a = path.split('.');
  const b = pattern.split('.');
  return a.length === b.length && b.every((p, i) => p === '*' || p === a[i]);
}

function generic(path: string): string {
  for (const p of ['services.*.ports', 'services.*.volumes', 'services.*.secrets', 'services.*.configs', 'services.*.env_file']) {
    if (match(path, p)) return p;
  }
  return path;
}

/** Make a merged sequence unique by key, a later entry replacing an earlier one in place. */
function unique(path: string, list: unknown[]): unknown[] {
  const g = generic(path);
  const at = new Map<string, number>();
  const out: unknown[] = [];
  for (const v of list) {
    const k = keyFor(g, v);
    const i = at.get(k);
    if (i === undefined) {
      at.set(k, out.length);
      out.push(v);
    } else out[i] = v;
  }
  return out;
}

/** Strip the merge markers from a tree that is not merged onto anything. */
export function strip(v: unknown): unknown {
  if (v instanceof Override) return strip(v.value);
  if (Array.isArray(v)) return v.filter((x) => x !== RESET).map(strip);
  if (isDict(v)) {
    const out: Dict = {};
    for (const [k, x] of Object.entries(v)) if (x !== RESET) out[k] = strip(x);
    return out;
  }
  return v;
}

/** Merge `over` onto `base` at `path` (dotted, e.g. "services.web"). Neither input is modified. */
export function mergeYaml(base: unknown, over: unknown, path = ''): unknown {
  if (over === RESET) return undefined;
  if (over instanceof Override) return strip(over.value);
  if (over === undefined) return base;
  if (base === undefined || base === null) return strip(over);
  const generic_ = path.split('.').map((p, i) => (i === 1 && p ? '*' : p)).join('.');
  if (REPLACED.has(generic_)) return strip(over);
  if (isDict(base) && isDict(over)) {
    const out: Dict = { ...base };
    for (const [k, v] of Object.entries(over)) {
      const merged = mergeYaml(base[k], v, path ? `${path}.${k}` : k);
      if (merged === undefined) delete out[k];
      else out[k] = merged;
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(over)) {
    // compose-go appends label_file entries as they come (no index for them in its unique rules)
    if (generic_ === 'services.*.label_file') return [...base, ...(strip(over) as unknown[])];
    return unique(generic_, [...base, ...(strip(over) as unknown[])]);
  }
  return strip(over);
}
