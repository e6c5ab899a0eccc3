import { DaemonError } from '../../engine/errors.js';
import type { EngineClient as Engine } from '../../cli/engine-client.js';

/** The service named (by name, ID or ID prefix), as the engine inspects it; docker's "service X not found" otherwise. */
export async function inspectService(engine: Engine, name: string): Promise<any> {
  return engine.json<any>({ path: `/services/${encodeURIComponent(name)}`, query: { insertDefaults: 'true' } });
}

/** idresolver: node IDs to hostnames and service IDs to names, cached; the ID itself when not found. */
export class IdResolver {
  private cache = new Map<string, string>();
  constructor(
    private readonly engine: Engine,
    private readonly noResolve: boolean,
  ) {}

  async resolve(kind: 'node' | 'service', id: string): Promise<string> {
    if (this.noResolve || !id) return id;
    const key = kind + '/' + id;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    let name = id;
    try {
      const o = await this.engine.json<any>({ path: `/${kind}s/${encodeURIComponent(id)}` });
      name = kind === 'node' ? (o.Spec?.Name || o.Description?.Hostname || id) : o.Spec?.Name || id;
    } catch (e) {
      if (!(e instanceof DaemonError)) throw e;
    }
    this.cache.set(key, name);
    return name;
  }
}
