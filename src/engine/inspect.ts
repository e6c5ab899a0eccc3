import type { EngineClient } from '../cli/engine-client.js';
import { DaemonError } from './errors.js';

export type ObjectKind = 'container' | 'image' | 'volume' | 'network' | 'node' | 'service' | 'task' | 'secret' | 'config' | 'plugin';

const PATHS: Record<ObjectKind, (id: string) => string> = {
  container: (id) => `/containers/${encodeURIComponent(id)}/json`,
  image: (id) => `/images/${encodeURIComponent(id)}/json`,
  volume: (id) => `/volumes/${encodeURIComponent(id)}`,
  network: (id) => `/networks/${encodeURIComponent(id)}`,
  node: (id) => `/nodes/${encodeURIComponent(id)}`,
  service: (id) => `/services/${encodeURIComponent(id)}`,
  task: (id) => `/tasks/${encodeURIComponent(id)}`,
  secret: (id) => `/secrets/${encodeURIComponent(id)}`,
  config: (id) => `/configs/${encodeURIComponent(id)}`,
  plugin: (id) => `/plugins/${encodeURIComponent(id)}/json`,
};

export interface Inspected {
  kind: ObjectKind;
  raw: string;
  value: unknown;
}

/** Inspect one object of a known kind; throws the engine's error (e.g. No such container). */
export async function inspectObject(engine: EngineClient, kind: ObjectKind, id: string, size = false, query?: Record<string, string>): Promise<Inspected> {
  const raw = await engine.text({ path: PATHS[kind](id), query: kind === 'container' && size ? { size: '1' } : query });
  return { kind, raw, value: JSON.parse(raw) };
}

/** docker's generic inspect: the first kind that knows the name (container, image, network, volume, ...). */
export async function inspectAny(engine: EngineClient, id: string, size: boolean): Promise<Inspected | undefined> {
  for (const kind of ['container', 'image', 'network', 'volume', 'node', 'service', 'task', 'plugin', 'secret', 'config'] as ObjectKind[]) {
    try {
      return await inspectObject(engine, kind, id, size);
    } catch (e) {
      // not found, swarm not active, a name that is no reference: try the next kind; any other
      // answer (a 5xx from a failing engine) is the engine's error, as docker reports it
      if (e instanceof DaemonError && (e.notFound || /swarm|not supported|invalid reference|not implemented/i.test(e.daemonMessage))) continue;
      throw e;
    }
  }
  return undefined;
}
