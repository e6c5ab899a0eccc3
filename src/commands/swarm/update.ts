import type { Cli } from '../../cli/cli.js';
import { noArgs, type Invocation } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { StatusError } from '../../cli/errors.js';
import { parseDuration } from '../../cli/opts.js';
import type { EngineClient as Engine } from '../../cli/engine-client.js';
import { durationFlag, externalCAFlag } from './common.js';
import { unlockCommandText } from './unlock-key.js';

export interface SwarmUpdateOptions {
  autolock: boolean;
  certExpiry: string;
  dispatcherHeartbeat: string;
  externalCa: Record<string, unknown>[];
  maxSnapshots: number;
  snapshotInterval: number;
  taskHistoryLimit: number;
}

export const spec = dockerSpec<SwarmUpdateOptions>('swarm update', {
  args: noArgs,
  flags: { 'external-ca': externalCAFlag, 'cert-expiry': durationFlag, 'dispatcher-heartbeat': durationFlag },
  run: runSwarmUpdate,
});

/** swarmOptions.mergeSwarmSpec: only the flags given change the spec */
export function mergeSwarmSpec(spec: any, o: Partial<SwarmUpdateOptions>, changed: Set<string>, caCert?: string): void {
  const sub = (k: string): any => (spec[k] ??= {});
  if (changed.has('taskHistoryLimit')) sub('Orchestration').TaskHistoryRetentionLimit = o.taskHistoryLimit;
  if (changed.has('dispatcherHeartbeat')) sub('Dispatcher').HeartbeatPeriod = parseDuration(o.dispatcherHeartbeat!);
  if (changed.has('maxSnapshots')) sub('Raft').KeepOldSnapshots = o.maxSnapshots;
  if (changed.has('snapshotInterval')) sub('Raft').SnapshotInterval = o.snapshotInterval;
  if (changed.has('autolock')) sub('EncryptionConfig').AutoLockManagers = o.autolock;
  mergeCAFlags(spec, o, changed, caCert);
}

export function mergeCAFlags(spec: any, o: Partial<SwarmUpdateOptions>, changed: Set<string>, caCert?: string): void {
  const ca = (spec.CAConfig ??= {});
  if (changed.has('certExpiry')) ca.NodeCertExpiry = parseDuration(o.certExpiry!);
  if (changed.has('externalCa')) {
    ca.ExternalCAs = o.externalCa;
    if (caCert !== undefined) for (const x of ca.ExternalCAs ?? []) if (!x.CACert) x.CACert = caCert;
  }
}

export async function inspectSwarm(engine: Engine): Promise<any> {
  return engine.json<any>({ path: '/swarm' });
}

export async function runSwarmUpdate(cli: Cli, o: SwarmUpdateOptions, _a: string[], inv: Invocation): Promise<void> {
  if (inv.changed.size === 0) {
    inv.showHelp?.();
    return;
  }
  const engine = await cli.engine();
  const sw = await inspectSwarm(engine);
  const before = !!sw.Spec?.EncryptionConfig?.AutoLockManagers;
  mergeSwarmSpec(sw.Spec, o, inv.changed, sw.ClusterInfo?.TLSInfo?.TrustRoot ?? sw.TLSInfo?.TrustRoot);
  const after = !!sw.Spec?.EncryptionConfig?.AutoLockManagers;
  await engine.json({ method: 'POST', path: '/swarm/update', query: { version: sw.Version.Index, rotateWorkerToken: 'false', rotateManagerToken: 'false', rotateManagerUnlockKey: 'false' }, body: sw.Spec });
  cli.print('Swarm updated.\n');
  if (after && !before) {
    let key: string;
    try {
      key = (await engine.json<{ UnlockKey: string }>({ path: '/swarm/unlockkey' })).UnlockKey;
    } catch (e) {
      throw new StatusError(`could not fetch unlock key: ${(e as Error).message}`, 1);
    }
    cli.print(unlockCommandText(key));
  }
}
