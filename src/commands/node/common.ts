import type { Cli } from '../../cli/cli.js';
import type { EngineClient as Engine } from '../../cli/engine-client.js';
import { StatusError } from '../../cli/errors.js';

/** node.Reference: "self" is this node's ID (from /info), anything else as given. */
export async function nodeReference(engine: Engine, ref: string): Promise<string> {
  if (ref !== 'self') return ref;
  const info = await engine.json<any>({ path: '/info' });
  if (!info.Swarm?.NodeID) {
    await engine.json({ path: '/nodes' });
    throw new StatusError('node ID not found in /info', 1);
  }
  return info.Swarm.NodeID;
}

/** updateNodes: inspect, change the spec, update at its version. */
export async function updateNode(engine: Engine, ref: string, change: (node: any) => void): Promise<void> {
  // docker takes the name as given here ("self" is not resolved by update, promote or demote)
  const node = await engine.json<any>({ path: `/nodes/${encodeURIComponent(ref)}` });
  change(node);
  await engine.json({ method: 'POST', path: `/nodes/${node.ID}/update`, query: { version: node.Version.Index }, body: node.Spec });
}

/**
 * node promote and demote (docker's updateNodes with its role change): each node given the role in turn,
 * or, when it has it, docker's note and on to the next; done(id) is the line printed for a changed node.
 */
export async function changeRole(cli: Cli, ids: string[], role: 'manager' | 'worker', done: (id: string) => string): Promise<void> {
  const engine = await cli.engine();
  for (const id of ids) {
    let same = false;
    try {
      await updateNode(engine, id, (n) => {
        if (n.Spec.Role === role) {
          cli.print(`Node ${n.ID} is already a ${role}.\n`);
          same = true;
          throw new Error('no change');
        }
        n.Spec.Role = role;
      });
    } catch (e) {
      if (same) continue;
      throw e instanceof StatusError ? e : new StatusError((e as Error).message, 1);
    }
    cli.print(done(id));
  }
}
