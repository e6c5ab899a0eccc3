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
}

const f = (name: string, kind: FlagKind, typeName: string, version: string): ApiFlag => ({ name, kind, typeName, version });
const volumeCluster = ['group', 'scope', 'sharing', 'availability', 'type'].map((n) => f(n, 'string', 'string', '1.42'));

export const API_FLAGS: Record<string, ApiFlag[]> = {
  'container create': [f('annotation', 'list', 'map', '1.43'), f('health-start-interval', 'string', 'duration', '1.44')],
  'container run': [f('annotation', 'list', 'map', '1.43'), f('health-start-interval', 'string', 'duration', '1.44')],
  'image history': [f('platform', 'string', 'string', '1.48')],
  'image inspect': [f('platform', 'string', 'string', '1.49')],
  'image ls': [f('tree', 'bool', '', '1.47')],
  'image load': [f('platform', 'string', 'string', '1.48')],
  'image push': [f('platform', 'string', 'string', '1.46')],
  'image rm': [f('platform', 'string', 'string', '1.50')],
  'image save': [f('platform', 'string', 'string', '1.48')],
  'service create': [f('oom-score-adj', 'int', 'int', '1.46'), f('health-start-interval', 'string', 'duration', '1.44')],
  'service update': [f('oom-score-adj', 'int', 'int', '1.46'), f('health-start-interval', 'string', 'duration', '1.44')],
  'volume create': [
    ...volumeCluster, f('secret', 'list', 'map', '1.42'), f('limit-bytes', 'string', 'bytes', '1.42'), f('required-bytes', 'string', 'bytes', '1.42'),
    f('topology-required', 'list', 'list', '1.42'), f('topology-preferred', 'list', 'list', '1.42'),
  ],
  'volume ls': [f('cluster', 'bool', '', '1.42')],
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
