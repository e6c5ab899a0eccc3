/**
 * Where CLI plugins are looked for, and the candidates found there (node:fs only): src/cli/plugins.ts
 * validates and runs them; the start-up fast path (src/fast.ts) asks only whether there is any.
 */
import { readdirSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

export const NAME_PREFIX = 'docker-';

/** docker's defaultSystemPluginDirs on Linux. */
export const SYSTEM_PLUGIN_DIRS = [
  '/usr/local/lib/docker/cli-plugins',
  '/usr/local/libexec/docker/cli-plugins',
  '/usr/lib/docker/cli-plugins',
  '/usr/libexec/docker/cli-plugins',
];

/** getPluginDirs: cliPluginsExtraDirs of config.json, <config dir>/cli-plugins, then the system dirs. */
export function pluginDirs(configDir: string, extraDirs: unknown): string[] {
  const dirs: string[] = [];
  if (Array.isArray(extraDirs)) for (const d of extraDirs) if (typeof d === 'string') dirs.push(d);
  dirs.push(join(configDir, 'cli-plugins'));
  dirs.push(...SYSTEM_PLUGIN_DIRS);
  return dirs;
}

/** listPluginCandidates: name -> paths in directory order (regular files and symlinks named docker-*). */
export function listCandidates(dirs: string[]): Map<string, string[]> {
  const res = new Map<string, string[]>();
  for (const d of dirs) {
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      continue;
    }
    // os.ReadDir returns entries sorted by name
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (!e.isFile() && !e.isSymbolicLink()) continue;
      if (!e.name.startsWith(NAME_PREFIX)) continue;
      const name = e.name.slice(NAME_PREFIX.length);
      const list = res.get(name) ?? [];
      list.push(join(d, e.name));
      res.set(name, list);
    }
  }
  return res;
}

