import type { EngineClient as Engine } from '../../cli/engine-client.js';
import { LABEL_NAMESPACE } from './convert.js';

const nsFilter = (ns: string): string => JSON.stringify({ label: { [`${LABEL_NAMESPACE}=${ns}`]: true } });

/** The stack's objects of one kind, by its namespace label. */
export async function stackObjects(engine: Engine, kind: 'services' | 'networks' | 'secrets' | 'configs' | 'tasks', ns: string): Promise<any[]> {
  return (await engine.json<any[]>({ path: `/${kind}`, query: { filters: nsFilter(ns) } })) ?? [];
}

/** docker's check before a stack command: the node must be a manager. */
export async function checkManager(engine: Engine): Promise<void> {
  const info = await engine.json<any>({ path: '/info' });
  if (!info.Swarm?.ControlAvailable) {
    const { StatusError } = await import('../../cli/errors.js');
    throw new StatusError('this node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again', 1);
  }
}
