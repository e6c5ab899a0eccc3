/**
 * Flags docker 28 has that need a newer engine API than some engines speak (docker's "version" flag
 * annotations). docker hides them from the help when the engine is older (src/cli/docker-help.json was
 * made against such an engine, so they are absent there), and refuses them when given:
 * `"--tree" requires API version 1.47, but the Docker daemon API version is 1.41`.
 */
import type { FlagKind } from './flags.js';

export interface ApiFlag {
  name: string;
  kind: FlagKind;
  typeName: string;
  version: string;
  /** docker's help text (its first line; completion shows it) */
  usage: string;
}

const f = (name: string, kind: FlagKind, typeName: string, version: string, usage: string): ApiFlag => ({ name, kind, typeName, version, usage });
const plat = (what: string): string => `${what}. Formatted as "os[/arch[/variant]]" (e.g., "linux/amd64")`;
const runFlags = [
  f('annotation', 'list', 'map', '1.43', 'Add an annotation to the container (passed through to the OCI runtime)'),
  f('health-start-interval', 'string', 'duration', '1.44', 'Time between running the check during the start period (ms|s|m|h) (default 0s)'),
];
const serviceFlags = [
  f('oom-score-adj', 'int', 'int', '1.46', "Tune host's OOM preferences (-1000 to 1000)"),
  f('health-start-interval', 'string', 'duration', '1.44', 'Time between running the check during the start period (ms|s|m|h)'),
];

export const API_FLAGS: Record<string, ApiFlag[]> = {
  'container create': runFlags,
  'container run': runFlags,
  'image history': [f('platform', 'string', 'string', '1.48', plat('Show history for the given platform'))],
  'image inspect': [f('platform', 'string', 'string', '1.49', 'Inspect a specific platform of the multi-platform image.')],
  'image ls': [f('tree', 'bool', '', '1.47', 'List multi-platform images as a tree (EXPERIMENTAL)')],
  'image load': [f('platform', 'string', 'string', '1.48', plat('Load only the given platform variant'))],
  'image push': [f('platform', 'string', 'string', '1.46', 'Push a platform-specific manifest as a single-platform image to the registry.')],
  'image rm': [f('platform', 'list', 'strings', '1.50', plat('Remove only the given platform variant'))],
  'image save': [f('platform', 'string', 'string', '1.48', plat('Save only the given platform variant'))],
  'service create': serviceFlags,
  'service update': serviceFlags,
  'volume create': [
    f('group', 'string', 'string', '1.42', 'Cluster Volume group (cluster volumes)'),
    f('scope', 'string', 'string', '1.42', 'Cluster Volume access scope ("single", "multi")'),
    f('sharing', 'string', 'string', '1.42', 'Cluster Volume access sharing ("none", "readonly", "onewriter", "all")'),
    f('availability', 'string', 'string', '1.42', 'Cluster Volume availability ("active", "pause", "drain")'),
    f('type', 'string', 'string', '1.42', 'Cluster Volume access type ("mount", "block")'),
    f('secret', 'list', 'map', '1.42', 'Cluster Volume secrets'),
    f('limit-bytes', 'string', 'bytes', '1.42', 'Minimum size of the Cluster Volume in bytes'),
    f('required-bytes', 'string', 'bytes', '1.42', 'Maximum size of the Cluster Volume in bytes'),
    f('topology-required', 'list', 'list', '1.42', 'A topology that the Cluster Volume must be accessible from'),
    f('topology-preferred', 'list', 'list', '1.42', 'A topology that the Cluster Volume would be preferred in'),
  ],
  'volume ls': [f('cluster', 'bool', '', '1.42', 'Display only cluster volumes, and use cluster volume list formatting')],
};

/** docker's versions.LessThan: dotted numbers compared field by field. */
export function versionLess(a: string, b: string): boolean {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0;
  }
  return false;
}
