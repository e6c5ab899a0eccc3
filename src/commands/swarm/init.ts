import type { Cli } from '../../cli/cli.js';
import { noArgs } from '../../cli/command.js';
import { dockerSpec } from '../../cli/dockerhelp.js';
import { duration } from '../../engine/servicespec.js';
import { printJoinCommand } from './join-token.js';
import { durationFlag, externalCAFlag } from './common.js';

export interface SwarmInitOptions {
  advertiseAddr: string;
  autolock: boolean;
  availability: string;
  certExpiry: string;
  dataPathAddr: string;
  dataPathPort: number;
  defaultAddrPool: string;
  defaultAddrPoolMaskLength: number;
  dispatcherHeartbeat: string;
  forceNewCluster: boolean;
  listenAddr: string;
  maxSnapshots: number;
  snapshotInterval: number;
  taskHistoryLimit: number;
}

export const spec = dockerSpec<SwarmInitOptions>('swarm init', {
  args: noArgs,
  flags: { 'default-addr-pool': { kind: 'list', default: [] }, 'external-ca': externalCAFlag, 'cert-expiry': durationFlag, 'dispatcher-heartbeat': durationFlag },
  run: runSwarmInit,
});

export async function runSwarmInit(cli: Cli, o: SwarmInitOptions & Record<string, any>, _a: string[], inv: { changed: Set<string> }): Promise<void> {
  const engine = await cli.engine();
  const specBody: Record<string, any> = {
    Orchestration: { TaskHistoryRetentionLimit: o.taskHistoryLimit },
    Raft: { SnapshotInterval: o.snapshotInterval, KeepOldSnapshots: inv.changed.has('maxSnapshots') ? o.maxSnapshots : undefined },
    Dispatcher: { HeartbeatPeriod: duration('dispatcher-heartbeat', o.dispatcherHeartbeat || '5s') },
    CAConfig: { NodeCertExpiry: o.certExpiry ? duration('cert-expiry', o.certExpiry) : undefined, ExternalCAs: (o.externalCa as unknown[] | undefined)?.length ? o.externalCa : undefined },
    EncryptionConfig: { AutoLockManagers: o.autolock },
  };
  const nodeId = await engine.json<string>({
    method: 'POST',
    path: '/swarm/init',
    body: {
      ListenAddr: o.listenAddr || '0.0.0.0:2377',
      AdvertiseAddr: o.advertiseAddr,
      DataPathAddr: o.dataPathAddr,
      DataPathPort: Number(o.dataPathPort || 0),
      ForceNewCluster: o.forceNewCluster,
      Spec: specBody,
      AutoLockManagers: o.autolock,
      Availability: o.availability || 'active',
      DefaultAddrPool: (o.defaultAddrPool as unknown as string[]).length ? o.defaultAddrPool : undefined,
      SubnetSize: Number(o.defaultAddrPoolMaskLength || 24),
    },
  });
  const id = typeof nodeId === 'string' ? nodeId.replace(/^"|"\s*$/g, '').trim() : String(nodeId);
  cli.print(`Swarm initialized: current node (${id}) is now a manager.\n\n`);
  await printJoinCommand(cli, engine, id, true, false);
  cli.print("To add a manager to this swarm, run 'docker swarm join-token manager' and follow the instructions.\n");
  if (o.autolock) {
    const k = await engine.json<{ UnlockKey: string }>({ path: '/swarm/unlockkey' });
    cli.print(`To unlock a swarm manager after it restarts, run the \`docker swarm unlock\`\ncommand and provide the following key:\n\n    ${k.UnlockKey}\n\nRemember to store this key in a password manager, since without it you\nwill not be able to restart the manager.\n`);
  }
}
